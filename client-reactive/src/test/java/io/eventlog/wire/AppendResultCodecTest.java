package io.eventlog.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AppendResultCodecTest {

    @Test
    void writesExactlyTheContractFields() {
        AppendResult result = new AppendResult("orders-17", 1044, 5, 1042, 3, 3);
        assertEquals("{\"stream\":\"orders-17\",\"offset\":1044,\"version\":5,\"first_offset\":1042,"
                        + "\"first_version\":3,\"count\":3}",
                new String(AppendResultCodec.encode(result), StandardCharsets.UTF_8));
    }

    @Test
    void roundTrips() {
        AppendResult result = new AppendResult("a:b.c-d", 1, 0, 1, 0, 1);
        assertEquals(result, AppendResultCodec.decode(AppendResultCodec.encode(result)));
    }

    @Test
    void rejectsAnIncompleteResult() {
        EventLogException e = assertThrows(EventLogException.class,
                () -> AppendResultCodec.decode("{\"stream\":\"s\",\"offset\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INVALID_JSON, e.code());
    }
}

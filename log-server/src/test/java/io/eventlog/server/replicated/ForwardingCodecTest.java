package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.WrongExpectedVersionException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingCodecTest {

    @Test
    void aRequestRoundTrips() {
        AppendOptions options = new AppendOptions(ExpectedVersion.exactly(7), "key-é");
        byte[] bytes = ForwardingCodec.request(42, "orders-1", List.of(new byte[] {1, 2}, new byte[0]), options);

        assertTrue(ForwardingCodec.isRequest(bytes));
        ForwardingCodec.Request request = ForwardingCodec.decodeRequest(bytes);
        assertEquals(42, request.id());
        assertEquals("orders-1", request.stream());
        assertEquals(options, request.options());
        assertEquals(2, request.bodies().size());
        assertArrayEquals(new byte[] {1, 2}, request.bodies().get(0));
        assertArrayEquals(new byte[0], request.bodies().get(1));
    }

    @Test
    void repliesRoundTrip() {
        AppendResult result = new AppendResult("s", 10, 3, 8, 1, 3);
        ForwardingCodec.Reply ok = ForwardingCodec.decodeReply(ForwardingCodec.reply(5, result));
        assertEquals(5, ok.id());
        assertEquals(result, ok.result());
        assertFalse(ok.notLeader());

        ForwardingCodec.Reply conflict = ForwardingCodec.decodeReply(
                ForwardingCodec.reply(6, new WrongExpectedVersionException("s", 2, 4)));
        WrongExpectedVersionException error = assertInstanceOf(WrongExpectedVersionException.class, conflict.error("s"));
        assertEquals(2, error.expected());
        assertEquals(4, error.actual());

        ForwardingCodec.Reply timeout = ForwardingCodec.decodeReply(
                ForwardingCodec.reply(7, new EventLogException(ErrorCode.TIMEOUT, "slow")));
        assertEquals(ErrorCode.TIMEOUT, timeout.error("s").code());
        assertEquals("slow", timeout.error("s").getMessage());

        assertTrue(ForwardingCodec.decodeReply(ForwardingCodec.notLeader(8)).notLeader());
    }

    @Test
    void anEmptyLogNoticeIsNeitherARequestNorAReply() {
        byte[] notice = ForwardingCodec.logEmpty();

        assertTrue(ForwardingCodec.isLogEmpty(notice));
        assertFalse(ForwardingCodec.isRequest(notice));
        assertFalse(ForwardingCodec.isLogEmpty(ForwardingCodec.request(1, "s", List.of(new byte[] {3}),
                AppendOptions.DEFAULT)));
    }

    @Test
    void malformedMessagesAreRefusedWithAClearError() {
        byte[] request = ForwardingCodec.request(1, "s", List.of(new byte[] {9}), AppendOptions.DEFAULT);
        for (int cut = 1; cut < request.length; cut++) {
            byte[] truncated = Arrays.copyOf(request, cut);
            assertThrows(IllegalArgumentException.class, () -> ForwardingCodec.decodeRequest(truncated));
        }
        byte[] longer = Arrays.copyOf(request, request.length + 1);
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> ForwardingCodec.decodeRequest(longer));
        assertTrue(stray.getMessage().contains("stray"), stray.getMessage());
        byte[] reply = ForwardingCodec.reply(1, new AppendResult("s", 1, 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ForwardingCodec.decodeRequest(reply));
    }
}

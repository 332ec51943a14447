package io.eventlog.benchmarks.ceiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NullEventLogTest {
    private final NullEventLog log = new NullEventLog();

    private static EventData event(String json) {
        return new EventData("t", null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersWithConsecutiveOffsetsAndPerStreamVersionsFromZero() {
        AppendResult first = log.append("a", event("{\"n\":1}")).block();
        List<EventData> three = List.of(event("1"), event("2"), event("3"));
        AppendResult batch = log.append("b", three, AppendOptions.DEFAULT).block();
        AppendResult again = log.append("a", event("{\"n\":2}")).block();

        assertEquals(new AppendResult("a", 1, 0, 1, 0, 1), first);
        assertEquals(new AppendResult("b", 4, 2, 2, 0, 3), batch);
        assertEquals(new AppendResult("a", 5, 1, 5, 1, 1), again);
        assertEquals(5, log.lastOffset());
    }

    @Test
    void refusesWhatTheNodeRefusesAndCountsNothingForIt() {
        EventLogException badJson = assertThrows(EventLogException.class,
                () -> log.append("a", event("{\"n\":")).block());
        EventLogException badStream = assertThrows(EventLogException.class,
                () -> log.append("no/slash", event("1")).block());

        assertEquals(ErrorCode.INVALID_JSON, badJson.code());
        assertEquals(ErrorCode.INVALID_STREAM, badStream.code());
        assertEquals(0, log.lastOffset());
    }

    @Test
    void hasNothingToRead() {
        EventLogException e = assertThrows(EventLogException.class,
                () -> log.read(ReadRequest.log(1, 10)).blockFirst());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }
}

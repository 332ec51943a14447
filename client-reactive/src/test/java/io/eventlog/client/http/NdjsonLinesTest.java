package io.eventlog.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {

    @Test
    void joinsLinesSplitAcrossChunksAndDropsBlankOnes() {
        NdjsonLines lines = new NdjsonLines(1024);
        List<String> seen = new ArrayList<>();
        for (String chunk : List.of("{\"a\":", "1}\n\n{\"b\"", ":2}\r\n  \n{\"c\":3}\n{\"d\"")) {
            lines.next(chunk.getBytes(StandardCharsets.UTF_8)).forEach(line -> seen.add(new String(line, StandardCharsets.UTF_8)));
        }
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), seen);
        assertTrue(lines.hasPartialLine(), "{\"d is not finished");
        assertEquals(List.of("{\"d\":4}"), lines.next(":4}\n".getBytes(StandardCharsets.UTF_8)).stream()
                .map(line -> new String(line, StandardCharsets.UTF_8)).toList());
        assertFalse(lines.hasPartialLine());
    }

    @Test
    void refusesALineLongerThanTheLimit() {
        NdjsonLines lines = new NdjsonLines(8);
        lines.next("12345".getBytes(StandardCharsets.UTF_8));
        EventLogException e = assertThrows(EventLogException.class, () -> lines.next("6789".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.TOO_LARGE, e.code());
    }
}

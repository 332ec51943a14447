package io.eventlog.server.append;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.OffsetIndex.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendedRunsTest {
    private final OffsetIndex offsets = new OffsetIndex();
    private final AppendedRuns runs = new AppendedRuns(offsets);

    @Test
    void anAppendWrittenAtConsecutiveIndexesIsOneRunAddedOnlyAtFlush() {
        for (long offset = 1; offset <= 100; offset++) {
            runs.written(offset, 1_000 + offset);
        }
        assertEquals(-1, offsets.lastOffset(), "nothing is visible before the flush");

        runs.flush();

        assertEquals(List.of(new Run(1, 1_001, 100)), offsets.runs());
    }

    @Test
    void theNextAppendContinuesTheRunWhenItFollowsOn() {
        runs.written(1, 10);
        runs.written(2, 11);
        runs.flush();
        runs.written(3, 12);
        runs.flush();

        assertEquals(List.of(new Run(1, 10, 3)), offsets.runs());
        assertEquals(12, offsets.queueIndexOf(3));
    }

    @Test
    void aRollInTheMiddleOfAnAppendStartsANewRun() {
        long nextCycle = 5L << 32;
        runs.written(7, 100);
        runs.written(8, 101);
        runs.written(9, nextCycle);
        runs.written(10, nextCycle + 1);
        runs.flush();

        assertEquals(List.of(new Run(7, 100, 8), new Run(9, nextCycle, 10)), offsets.runs());
        assertEquals(nextCycle + 1, offsets.queueIndexOf(10));
        assertEquals(101, offsets.queueIndexOf(8));
    }

    @Test
    void aFlushWithNothingWrittenAddsNothing() {
        runs.flush();
        runs.written(1, 1);
        runs.flush();
        runs.flush();

        assertEquals(List.of(new Run(1, 1, 1)), offsets.runs());
    }
}

package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RaftLogIndexTest {
    /** Queue indexes as Chronicle makes them: cycle << 32 | sequence. */
    private static long q(int cycle, long sequence) {
        return ((long) cycle << 32) | sequence;
    }

    @Test
    void consecutiveEntriesOfOneTermAtConsecutiveQueueIndexesShareOneRun() {
        RaftLogIndex index = new RaftLogIndex();
        for (long i = 1; i <= 100_000; i++) {
            index.add(i, 3, q(1, i - 1));
        }
        assertEquals(1, index.runCount(), "memory does not grow per entry");
        assertEquals(q(1, 41), index.queueIndexOf(42));
        assertEquals(3, index.term(100_000));
        assertEquals(1, index.firstIndex());
        assertEquals(100_000, index.lastIndex());
        assertEquals(-1, index.queueIndexOf(100_001));
        assertEquals(-1, index.queueIndexOf(0));
        assertEquals(-1, index.term(100_001));
    }

    @Test
    void aTermChangeACycleRollAndAGapInTheQueueEachStartARun() {
        RaftLogIndex index = new RaftLogIndex();
        index.add(1, 1, q(1, 0));
        index.add(2, 1, q(1, 1));
        index.add(3, 2, q(1, 2));   // term change
        index.add(4, 2, q(2, 0));   // cycle roll
        index.add(5, 2, q(2, 2));   // a marker took q(2, 1)
        assertEquals(4, index.runCount());
        assertEquals(q(1, 1), index.queueIndexOf(2));
        assertEquals(2, index.term(3));
        assertEquals(q(2, 0), index.queueIndexOf(4));
        assertEquals(q(2, 2), index.queueIndexOf(5));
    }

    @Test
    void anIndexThatDoesNotFollowTheLastIsRefused() {
        RaftLogIndex index = new RaftLogIndex();
        index.add(5, 1, 0);
        assertThrows(IllegalStateException.class, () -> index.add(7, 1, 1));
        assertThrows(IllegalStateException.class, () -> index.add(5, 1, 1));
    }

    @Test
    void truncationCutsInsideARunOrAtItsStart() {
        RaftLogIndex index = new RaftLogIndex();
        for (long i = 1; i <= 10; i++) {
            index.add(i, i <= 5 ? 1 : 2, i);
        }
        index.truncateFrom(8);
        assertEquals(7, index.lastIndex());
        assertEquals(-1, index.queueIndexOf(8));
        index.add(8, 3, 100);
        assertEquals(100, index.queueIndexOf(8));
        assertEquals(3, index.term(8));
        index.truncateFrom(6);
        assertEquals(5, index.lastIndex());
        assertEquals(1, index.runCount());
        index.truncateFrom(99);
        assertEquals(5, index.lastIndex());
        index.truncateFrom(1);
        assertTrue(index.isEmpty());
        assertEquals(-1, index.lastIndex());
    }

    @Test
    void droppingThroughASnapshotIndexForgetsWholeRunsAndTrimsOne() {
        RaftLogIndex index = new RaftLogIndex();
        for (long i = 1; i <= 30; i++) {
            index.add(i, (i - 1) / 10 + 1, i);
        }
        assertEquals(3, index.runCount());
        long queueIndexOf25 = index.queueIndexOf(25);
        index.dropThrough(14);
        assertEquals(2, index.runCount());
        assertEquals(15, index.firstIndex());
        assertEquals(-1, index.queueIndexOf(14));
        assertEquals(2, index.term(15));
        assertEquals(queueIndexOf25, index.queueIndexOf(25));
        index.add(31, 3, index.queueIndexOf(30) + 1);
        assertEquals(2, index.runCount(), "the trimmed last run still grows");
        index.dropThrough(31);
        assertTrue(index.isEmpty());
    }

    @Test
    void lookupsFromAnotherThreadSeeAConsistentIndexWhileItIsWritten() throws Exception {
        RaftLogIndex index = new RaftLogIndex();
        int entries = 200_000;
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (index.lastIndex() < entries && wrong.get() == null) {
                long last = index.lastIndex();
                // Entry i is always stored at queue index 10 * term + i: a torn lookup would break that.
                long queueIndex = last > 0 ? index.queueIndexOf(last) : -1;
                if (queueIndex != -1 && ((queueIndex - last) % 10 != 0 || queueIndex <= last)) {
                    wrong.set("entry " + last + " at " + queueIndex);
                }
            }
        });
        reader.start();
        long term = 1;
        for (long i = 1; i <= entries; i++) {
            if (i % 1000 == 0) {
                index.truncateFrom(i - 10);
                term++;
                for (long j = i - 10; j < i; j++) {
                    index.add(j, term, 10 * term + j);
                }
            }
            index.add(i, term, 10 * term + i);
        }
        reader.join(10_000);
        assertEquals(null, wrong.get());
    }
}

package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.server.storage.ChronicleLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleRaftStorageTest {
    private static final ClusterConfig MEMBERS = ClusterConfig.ofVoters(1, 2, 3);

    @TempDir
    Path dir;

    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(Entry.normal(i, term, OpenRaftLog.eventPayload("s", i, "e" + i)));
        }
        return out;
    }

    private static List<Entry> all(ChronicleRaftStorage storage) {
        return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    }

    @Test
    void anEntryThatDoesNotFollowTheLastIsRefusedWithTheIndexItNeeds() {
        try (OpenRaftLog raft = OpenRaftLog.open(dir, MEMBERS)) {
            raft.storage().append(entries(1, 3, 1));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> raft.storage().append(entries(3, 4, 2)));
            assertTrue(e.getMessage().contains("cannot append entry 3: the next index is 4"), e.getMessage());
            assertEquals(3, raft.storage().lastIndex());
        }
    }

    @Test
    void entriesAcrossACycleRollAreReadAndFoundAgainAfterAReopen() throws InterruptedException {
        List<Entry> written = new ArrayList<>();
        try (OpenRaftLog raft = OpenRaftLog.open(dir, MEMBERS, TestRollCycles.TEST_SECONDLY)) {
            written.addAll(entries(1, 50, 1));
            raft.storage().append(written);
            long firstCycle = raft.storage().index().queueIndexOf(50) >>> 32;
            while (System.currentTimeMillis() / 1000 <= firstCycle) {
                Thread.sleep(20);
            }
            written.addAll(entries(51, 100, 1));
            raft.storage().append(written.subList(50, 100));
            assertTrue(raft.storage().index().queueIndexOf(51) >>> 32 > firstCycle, "the queue rolled");
            assertEquals(2, raft.storage().index().runCount(), "a roll starts a run");
            assertEquals(written, all(raft.storage()));
            assertEquals(written.subList(40, 60), raft.storage().entries(41, 61, Long.MAX_VALUE));
        }
        try (OpenRaftLog raft = OpenRaftLog.open(dir, MEMBERS, TestRollCycles.TEST_SECONDLY)) {
            assertEquals(written, all(raft.storage()));
        }
    }

    /** A driver may build its node on one thread and run it on another: the appender and tailer follow. */
    @Test
    void theStorageFollowsTheThreadThatUsesIt() throws Exception {
        ExecutorService raftThread = Executors.newSingleThreadExecutor();
        try (OpenRaftLog raft = OpenRaftLog.open(dir, MEMBERS)) {
            ChronicleRaftStorage storage = raft.storage();
            storage.append(entries(1, 10, 1));
            assertEquals(entries(1, 10, 1), all(storage));
            CompletableFuture.runAsync(() -> {
                storage.append(entries(11, 20, 2));
                storage.sync();
                assertEquals(entries(11, 20, 2), storage.entries(11, 21, Long.MAX_VALUE));
            }, raftThread).get();
            storage.supersedeFrom(15);
            assertEquals(14, storage.lastIndex());
        } finally {
            raftThread.shutdown();
        }
    }

    /** With msync durability, sync makes the batch durable; entries read back the same after a reopen. */
    @Test
    void syncWorksOnAnMsyncQueue() {
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, true);
             ChronicleRaftStorage storage = ChronicleRaftStorage.open(log, dir, MEMBERS)) {
            for (long i = 1; i <= 100; i += 10) {
                storage.append(entries(i, i + 9, 1));
                storage.sync();
            }
        }
        try (OpenRaftLog raft = OpenRaftLog.open(dir, MEMBERS)) {
            assertEquals(entries(1, 100, 1), all(raft.storage()));
        }
    }
}

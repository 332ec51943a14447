package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.HardState;
import io.eventlog.replication.MemoryStorage;
import io.eventlog.replication.RaftStorage;
import io.eventlog.replication.SnapshotMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seeded random sequence of writes applied to {@link MemoryStorage} (the reference) and to
 * {@link ChronicleRaftStorage} must give the same answers to every read, after every write, and after
 * a close and reopen at random points. A failure names its seed; replay one with
 * {@code -Draftlog.seed=N}, run more with {@code -Draftlog.seeds=N}.
 */
class ChronicleRaftStorageConformanceTest {
    private static final int OPERATIONS = 250;
    private static final ClusterConfig INITIAL = ClusterConfig.ofVoters(1, 2, 3);

    @TempDir
    Path dir;

    @Test
    void randomWritesGiveTheSameAnswersAsMemoryStorageAcrossReopens() {
        long only = Long.getLong("raftlog.seed", -1);
        if (only >= 0) {
            run(only);
            return;
        }
        int seeds = Integer.getInteger("raftlog.seeds", 6);
        for (long seed = 0; seed < seeds; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Path data = dir.resolve("seed-" + seed);
        Script script = new Script(new SplittableRandom(seed));
        MemoryStorage reference = new MemoryStorage(SnapshotMeta.bootstrap(INITIAL));
        OpenRaftLog chronicle = OpenRaftLog.open(data, INITIAL);
        List<String> done = new ArrayList<>();
        try {
            for (int op = 0; op < OPERATIONS; op++) {
                done.add(script.applyNext(reference, chronicle.storage()));
                if (script.random.nextInt(20) == 0) {
                    chronicle.close();
                    chronicle = OpenRaftLog.open(data, INITIAL);
                    done.add("reopen");
                }
                assertSameAnswers(script.random, reference, chronicle.storage());
            }
        } catch (Throwable e) {
            throw new AssertionError("seed " + seed + " (replay with -Draftlog.seed=" + seed + ") failed after "
                    + done.subList(Math.max(0, done.size() - 12), done.size()), e);
        } finally {
            chronicle.close();
        }
    }

    /** Random valid writes, applied to both storages alike. */
    private static final class Script {
        final SplittableRandom random;
        long term = 1;

        Script(SplittableRandom random) {
            this.random = random;
        }

        String applyNext(RaftStorage reference, RaftStorage chronicle) {
            int dice = random.nextInt(100);
            long snapshot = reference.snapshotMeta().index();
            long last = reference.lastIndex();
            if (dice < 10 && last > snapshot) {
                long from = snapshot + 1 + random.nextLong(last - snapshot + 2);
                term += random.nextInt(2);
                reference.supersedeFrom(from);
                chronicle.supersedeFrom(from);
                return "supersedeFrom(" + from + ")";
            }
            if (dice < 17) {
                HardState state = new HardState(term + random.nextInt(3), random.nextInt(4));
                reference.saveHardState(state);
                chronicle.saveHardState(state);
                return "saveHardState(" + state + ")";
            }
            if (dice < 23) {
                long at = Math.max(0, snapshot - 2 + random.nextLong(last - snapshot + 3));
                SnapshotMeta meta = new SnapshotMeta(at, at <= snapshot ? 0 : reference.term(at), randomConfig());
                byte[] data = randomBytes(2_000);
                reference.compact(meta, data);
                chronicle.compact(meta, data);
                return "compact(" + meta + ", " + data.length + "B)";
            }
            if (dice < 26) {
                term += random.nextInt(2);
                SnapshotMeta meta = new SnapshotMeta(snapshot + 1 + random.nextLong(last - snapshot + 10), term,
                        randomConfig());
                byte[] data = randomBytes(3_000);
                reference.installSnapshot(meta, data);
                chronicle.installSnapshot(meta, data);
                return "installSnapshot(" + meta + ", " + data.length + "B)";
            }
            if (random.nextInt(6) == 0) {
                term++;
            }
            List<Entry> entries = new ArrayList<>();
            int count = 1 + random.nextInt(8);
            for (int k = 1; k <= count; k++) {
                entries.add(randomEntry(last + k));
            }
            reference.append(entries);
            chronicle.append(entries);
            return "append(" + entries + ")";
        }

        private Entry randomEntry(long index) {
            int dice = random.nextInt(10);
            if (dice == 0) {
                return Entry.noop(index, term);
            }
            if (dice == 1) {
                return new Entry(index, term, EntryKind.CONFIG, randomConfig().encode());
            }
            if (dice == 2) {
                // Big enough to make the writer's and reader's buffers grow.
                return Entry.normal(index, term, randomBytes(10_000));
            }
            return Entry.normal(index, term, OpenRaftLog.eventPayload("s" + random.nextInt(5), index, "e" + index));
        }

        private ClusterConfig randomConfig() {
            return ClusterConfig.ofVoters(1 + random.nextInt(3), 4 + random.nextInt(3));
        }

        private byte[] randomBytes(int max) {
            byte[] bytes = new byte[random.nextInt(max)];
            random.nextBytes(bytes);
            return bytes;
        }
    }

    private static void assertSameAnswers(SplittableRandom random, RaftStorage reference, RaftStorage chronicle) {
        assertEquals(reference.hardState(), chronicle.hardState(), "hardState");
        assertEquals(reference.snapshotMeta(), chronicle.snapshotMeta(), "snapshotMeta");
        long first = reference.firstIndex();
        long last = reference.lastIndex();
        assertEquals(first, chronicle.firstIndex(), "firstIndex");
        assertEquals(last, chronicle.lastIndex(), "lastIndex");
        for (long i = first - 1; i <= last; i++) {
            assertEquals(reference.term(i), chronicle.term(i), "term(" + i + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> chronicle.term(last + 1));
        if (first > 1) {
            assertThrows(IllegalArgumentException.class, () -> chronicle.term(first - 2));
        }
        if (last >= first) {
            assertEquals(reference.entries(first, last + 1, Long.MAX_VALUE), chronicle.entries(first, last + 1,
                    Long.MAX_VALUE), "all entries");
            for (int window = 0; window < 3; window++) {
                long from = first + random.nextLong(last - first + 1);
                long to = from + 1 + random.nextLong(last - from + 1);
                long maxBytes = random.nextLong(3_000);
                assertEquals(reference.entries(from, to, maxBytes), chronicle.entries(from, to, maxBytes),
                        "entries(" + from + ", " + to + ", " + maxBytes + ")");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> chronicle.entries(first, last + 2, Long.MAX_VALUE));
        assertEquals(reference.snapshotSize(), chronicle.snapshotSize(), "snapshotSize");
        assertArrayEquals(reference.snapshotChunk(0, Integer.MAX_VALUE), chronicle.snapshotChunk(0, Integer.MAX_VALUE));
        long offset = random.nextLong(reference.snapshotSize() + 2);
        int maxBytes = random.nextInt(1_000);
        assertArrayEquals(reference.snapshotChunk(offset, maxBytes), chronicle.snapshotChunk(offset, maxBytes),
                "snapshotChunk(" + offset + ", " + maxBytes + ")");
        assertEquals(reference.configEntries(), chronicle.configEntries(), "configEntries");
    }
}

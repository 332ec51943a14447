package io.eventlog.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory storage honours the {@link RaftStorage} contract. */
class MemoryStorageTest {

    @Test
    void supersedingDiscardsTheTailAndAppendingContinuesFromThere() {
        MemoryStorage s = MemoryStorage.bootstrap(1);
        s.append(Harness.entries(1, 1, 1, 1));

        s.persist(new Ready(null, new HardState(2, 1), null, List.of(Entry.normal(3, 2, new byte[1])), List.of(),
                List.of(), List.of()));

        assertEquals(3, s.lastIndex());
        assertEquals(2, s.term(3));
        assertEquals(new HardState(2, 1), s.hardState());
    }

    @Test
    void entriesStopAtTheByteLimitButReturnAtLeastOne() {
        MemoryStorage s = MemoryStorage.bootstrap(1);
        s.append(List.of(Entry.normal(1, 1, new byte[100]), Entry.normal(2, 1, new byte[100]),
                Entry.normal(3, 1, new byte[100])));

        assertEquals(1, s.entries(1, 4, 10).size());
        assertEquals(2, s.entries(1, 4, 2 * (100 + Entry.OVERHEAD_BYTES)).size());
        assertEquals(3, s.entries(1, 4, Long.MAX_VALUE).size());
    }

    @Test
    void compactingKeepsTheEntriesAfterTheSnapshot() {
        MemoryStorage s = MemoryStorage.bootstrap(1);
        s.append(Harness.entries(1, 1, 2, 2));

        s.compact(new SnapshotMeta(2, 1, ClusterConfig.ofVoters(1)), new byte[] {1, 2, 3});

        assertEquals(3, s.firstIndex());
        assertEquals(4, s.lastIndex());
        assertEquals(1, s.term(2));
        assertArrayEquals(new byte[] {2, 3}, s.snapshotChunk(1, 5));
    }

    @Test
    void installingASnapshotFromTheLeaderReplacesTheWholeLog() {
        MemoryStorage s = MemoryStorage.bootstrap(1);
        s.append(Harness.entries(1, 1, 2, 2));

        s.installSnapshot(new SnapshotMeta(10, 3, ClusterConfig.ofVoters(1)), new byte[7]);

        assertEquals(11, s.firstIndex());
        assertEquals(10, s.lastIndex());
        assertEquals(7, s.snapshotSize());
    }

    @Test
    void configEntriesAreFoundAfterTheSnapshot() {
        MemoryStorage s = MemoryStorage.bootstrap(1);
        byte[] two = ClusterConfig.ofVoters(1, 2).encode();
        s.append(List.of(Entry.normal(1, 1, new byte[1]), new Entry(2, 1, EntryKind.CONFIG, two)));

        assertEquals(List.of(new Entry(2, 1, EntryKind.CONFIG, two)), s.configEntries());
        assertEquals(ClusterConfig.ofVoters(1, 2), ClusterConfig.decode(two));
    }
}

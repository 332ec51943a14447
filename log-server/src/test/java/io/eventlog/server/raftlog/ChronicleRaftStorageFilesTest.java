package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.HardState;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.recovery.QueueFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code raft/hardstate} and {@code raft/snapshot}: replaced atomically, checked when read. */
class ChronicleRaftStorageFilesTest {
    private static final ClusterConfig MEMBERS = ClusterConfig.ofVoters(1, 2, 3);

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Path raftFile(String name) {
        return data().resolve("raft").resolve(name);
    }

    /** A node with entries 1..10, a snapshot at 4, term 7, vote 2 and a commit hint of 6. */
    private void writeNode() {
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            ChronicleRaftStorage storage = raft.storage();
            for (long i = 1; i <= 10; i++) {
                storage.append(List.of(Entry.normal(i, 7, new byte[] {(byte) i})));
            }
            storage.saveHardState(new HardState(7, 2));
            storage.saveCommitHint(6);
            storage.compact(new SnapshotMeta(4, 7, ClusterConfig.ofVoters(1, 2, 4)), new byte[] {4, 4, 4});
        }
    }

    @Test
    void aNewNodeStartsFromTheBootstrapSnapshotOfItsInitialMembers() {
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            assertEquals(SnapshotMeta.bootstrap(MEMBERS), raft.storage().snapshotMeta());
            assertEquals(HardState.EMPTY, raft.storage().hardState());
            assertEquals(0, raft.storage().lastIndex());
            assertEquals(0, raft.storage().commitHint());
        }
        try (OpenRaftLog raft = OpenRaftLog.open(dir.resolve("joining"), ClusterConfig.EMPTY)) {
            assertEquals(SnapshotMeta.bootstrap(ClusterConfig.EMPTY), raft.storage().snapshotMeta());
        }
        try (OpenRaftLog raft = OpenRaftLog.open(data(), ClusterConfig.ofVoters(9))) {
            assertEquals(SnapshotMeta.bootstrap(MEMBERS), raft.storage().snapshotMeta(),
                    "the initial members count only for a node without raft/ files");
        }
    }

    @Test
    void hardStateCommitHintAndSnapshotSurviveAReopen() {
        writeNode();
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            ChronicleRaftStorage storage = raft.storage();
            assertEquals(new HardState(7, 2), storage.hardState());
            assertEquals(6, storage.commitHint());
            assertEquals(new SnapshotMeta(4, 7, ClusterConfig.ofVoters(1, 2, 4)), storage.snapshotMeta());
            assertArrayEquals(new byte[] {4, 4, 4}, storage.snapshotData());
            assertEquals(5, storage.firstIndex());
            assertEquals(10, storage.lastIndex());

            storage.saveHardState(new HardState(8, 0));
            assertEquals(6, storage.commitHint(), "saving the hard state keeps the commit hint");
            storage.saveCommitHint(9);
            assertEquals(new HardState(8, 0), storage.hardState(), "saving the commit hint keeps term and vote");
        }
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            assertEquals(new HardState(8, 0), raft.storage().hardState());
            assertEquals(9, raft.storage().commitHint());
        }
        assertFalse(Files.exists(raftFile("hardstate.tmp")), "a completed write leaves no temp file");
        assertFalse(Files.exists(raftFile("snapshot.tmp")));
    }

    @Test
    void theCommitHintStaysWithinTheSnapshotAndTheLastIndex() {
        writeNode();
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            raft.storage().saveCommitHint(50);
            assertEquals(10, raft.storage().commitHint(), "a log that lost its tail holds no more");
            raft.storage().saveCommitHint(1);
            assertEquals(4, raft.storage().commitHint(), "a snapshot holds committed entries only");
        }
    }

    /** A crash between writing the temp file and renaming it leaves the temp file: it is never read. */
    @ParameterizedTest
    @ValueSource(strings = {"hardstate", "snapshot"})
    void aLeftoverTempFileIsIgnoredAndOverwritten(String name) throws IOException {
        writeNode();
        Files.write(raftFile(name + ".tmp"), new byte[] {1, 2, 3});
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            assertEquals(new HardState(7, 2), raft.storage().hardState());
            assertEquals(4, raft.storage().snapshotMeta().index());
            raft.storage().saveHardState(new HardState(9, 1));
            raft.storage().compact(new SnapshotMeta(5, 7, MEMBERS), new byte[] {5});
        }
        assertFalse(Files.exists(raftFile(name + ".tmp")));
        try (OpenRaftLog raft = OpenRaftLog.open(data(), MEMBERS)) {
            assertEquals(new HardState(9, 1), raft.storage().hardState());
            assertEquals(5, raft.storage().snapshotMeta().index());
        }
    }

    /** A file damaged on disk: one byte flipped, or cut short. */
    @ParameterizedTest
    @CsvSource({"hardstate, flip, checksum mismatch", "snapshot, flip, checksum mismatch",
            "hardstate, cut, it has 3 bytes", "snapshot, cut, it has 3 bytes"})
    void aDamagedFileIsAClearError(String name, String damage, String why) {
        writeNode();
        if (damage.equals("flip")) {
            QueueFiles.flipByte(raftFile(name), 5);
        } else {
            QueueFiles.truncate(raftFile(name), 3);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenRaftLog.open(data(), MEMBERS));
        assertTrue(e.getMessage().contains(raftFile(name) + " is corrupt (" + why), e.getMessage());
    }
}

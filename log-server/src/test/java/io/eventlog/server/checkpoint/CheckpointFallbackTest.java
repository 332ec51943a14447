package io.eventlog.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.recovery.QueueFiles;
import io.eventlog.server.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up takes the newest checkpoint it can use: a corrupt or cut-short one is passed over (and
 * kept), one whose anchor record the log does not hold is deleted, and the next older one is used;
 * with none usable, the whole log is replayed. Each time the state is the full replay's.
 */
class CheckpointFallbackTest {
    @TempDir
    Path dir;

    private static NodeConfig config(Path dataDir) {
        return NodeConfig.defaults(dataDir).withCheckpoints(CheckpointConfig.defaults().withKept(10));
    }

    @Test
    void aCorruptNewestCheckpointIsPassedOverWithALogLineAndThePreviousOneUsed() throws IOException {
        List<Entry> log = twoCheckpoints(dir);
        List<Checkpoint> checkpoints = checkpoints(dir);
        QueueFiles.flipByte(checkpoints.get(0).file(), Files.size(checkpoints.get(0).file()) / 2);

        try (CapturedStderr stderr = new CapturedStderr(); EventLogNode node = EventLogNode.open(config(dir))) {
            assertTrue(stderr.text().contains("checkpoint " + checkpoints.get(0).file() + " is corrupt (checksum"),
                    stderr.text());
            assertTrue(stderr.text().contains("checkpoint at offset 100 (" + checkpoints.get(1).file().getFileName()
                    + ") and 50 entries replayed up to offset 150"), stderr.text());
            assertEquals(log, CheckpointRedoTest.readLog(node));
            assertTrue(Files.exists(checkpoints.get(0).file()), "a corrupt checkpoint is kept for inspection");
        }
    }

    @Test
    void aCutShortCheckpointIsPassedOver() throws IOException {
        twoCheckpoints(dir);
        List<Checkpoint> checkpoints = checkpoints(dir);
        QueueFiles.truncate(checkpoints.get(0).file(), Files.size(checkpoints.get(0).file()) / 3);

        Startups.Started started = Startups.startup(dir);

        assertEquals(checkpoints.get(1), started.checkpoint());
        assertEquals(Startups.fullReplay(dir), started.image());
    }

    @Test
    void aCheckpointAheadOfTheLogIsDeletedAndAnOlderOneUsed() throws IOException {
        Path older = firstHundredEntriesCopiedTo("older");
        Path ahead = laterCheckpointCopiedTo(older);

        Startups.Started started = Startups.startup(older);

        assertEquals(100, started.checkpoint().offset());
        assertFalse(Files.exists(ahead));
        assertEquals(Startups.fullReplay(older), started.image());
    }

    @Test
    void aCheckpointWhoseAnchorPlaceHoldsAnotherRecordIsDeleted() throws IOException {
        Path diverged = firstHundredEntriesCopiedTo("diverged");
        // The same offsets at the same queue indexes, other events: only the anchor's checksum tells them apart.
        appendAndClose(diverged, 1000, 150);
        Files.delete(checkpoints(diverged).get(0).file());
        Path foreign = laterCheckpointCopiedTo(diverged);

        Startups.Started started = Startups.startup(diverged);

        assertEquals(100, started.checkpoint().offset());
        assertFalse(Files.exists(foreign));
        assertEquals(Startups.fullReplay(diverged), started.image());
    }

    /** Appends 100 entries to {@code dir}, closes it, and copies it to {@code dir/name}. */
    private Path firstHundredEntriesCopiedTo(String name) throws IOException {
        appendAndClose(dir, 0, 100);
        Path copy = dir.resolve(name);
        copy(dir, copy);
        return copy;
    }

    /** Appends 100 more entries to {@code dir} and copies its checkpoint at 200 into {@code copy}'s. */
    private Path laterCheckpointCopiedTo(Path copy) throws IOException {
        appendAndClose(dir, 100, 100);
        Path later = checkpoints(dir).get(0).file();
        return Files.copy(later, copy.resolve("checkpoints").resolve(later.getFileName()));
    }

    @Test
    void withNoUsableCheckpointTheWholeLogIsReplayed() throws IOException {
        twoCheckpoints(dir);
        for (Checkpoint checkpoint : checkpoints(dir)) {
            QueueFiles.flipByte(checkpoint.file(), 10);
        }

        Startups.Started started = Startups.startup(dir);

        assertEquals(Checkpoint.NONE, started.checkpoint());
        assertEquals(150, started.redone());
        assertEquals(Startups.fullReplay(dir), started.image());
    }

    /** 100 entries, a checkpoint, 50 more, and the checkpoint on close; returns the log. */
    private List<Entry> twoCheckpoints(Path dataDir) {
        try (EventLogNode node = EventLogNode.open(config(dataDir))) {
            TestFiles.append(node, 0, 100);
            assertEquals(100, node.checkpoint().block().offset());
            TestFiles.append(node, 100, 50);
            return CheckpointRedoTest.readLog(node);
        }
    }

    private static void appendAndClose(Path dataDir, int first, int count) {
        try (EventLogNode node = EventLogNode.open(config(dataDir))) {
            TestFiles.append(node, first, count);
        }
    }

    private static List<Checkpoint> checkpoints(Path dataDir) throws IOException {
        return TestFiles.checkpointsIn(dataDir.resolve("checkpoints"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.filter(p -> !p.startsWith(to)).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals("LOCK")) {
                    Files.copy(path, target);
                }
            }
        }
    }
}

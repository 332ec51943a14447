package io.eventlog.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart a projection resumes from its newest usable checkpoint and folds only the entries
 * after it, ending in the state of one fold over the whole log.
 */
class ProjectionRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CheckpointConfig EVERY_100 = CheckpointConfig.defaults().withEveryEntries(100);

    @TempDir
    Path dataDir;

    @Test
    void aRestartFoldsOnlyTheEntriesAfterTheCheckpoint() throws IOException {
        Random random = new Random(3);
        long checkpointed;
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            try (ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
                balances.awaitOffset(Ledger.append(node, random, 200).offset()).block(WAIT);
            }
            checkpointed = newestCheckpointOffset();
            Ledger.append(node, random, 150); // appended while the projection does not run
        }
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
            FoldedState<Balances> folded = balances.awaitOffset(node.lastOffset()).block(WAIT);

            List<Entry> log = Ledger.readAll(node);
            assertEquals(checkpointed, balances.startedFrom().offset());
            assertEquals(selectedAfter(log, checkpointed), balances.foldedSinceStart());
            assertTrue(balances.foldedSinceStart() < log.stream().filter(Ledger.ACCOUNTS::includes).count());
            assertEquals(Balances.fullFold(log, Ledger.ACCOUNTS), folded.state());
        }
    }

    @Test
    void aCorruptNewestCheckpointIsPassedOverForTheOneBefore() throws IOException {
        corruptNewestAndRestart(file -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF}), channel.size() / 2);
            }
        });
    }

    @Test
    void aHalfWrittenNewestCheckpointIsPassedOverForTheOneBefore() throws IOException {
        corruptNewestAndRestart(file -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() / 2);
            }
        });
    }

    @Test
    void aNewVersionOfTheProjectionStartsFromScratchAndDeletesTheOldCheckpoints() throws Exception {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            try (ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
                balances.awaitOffset(Ledger.append(node, new Random(4), 200).offset()).block(WAIT);
            }
            assertFalse(checkpoints().isEmpty());

            for (Projection<Balances> changed : List.of(Balances.OF_ACCOUNTS.withVersion(2),
                    Balances.OF_ACCOUNTS.withVersion(2).selecting(EntrySelection.stream("account-1")))) {
                try (ProjectionHandle<Balances> balances = Projections.start(node, changed, EVERY_100)) {
                    FoldedState<Balances> folded = balances.awaitOffset(node.lastOffset()).block(WAIT);

                    List<Entry> log = Ledger.readAll(node);
                    assertEquals(Checkpoint.NONE, balances.startedFrom(), changed.toString());
                    assertEquals(log.stream().filter(changed.selection()::includes).count(),
                            balances.foldedSinceStart());
                    assertEquals(Balances.fullFold(log, changed.selection()), folded.state());
                }
                for (Checkpoint checkpoint : checkpoints()) {
                    try (FileChannel channel = FileChannel.open(checkpoint.file())) {
                        assertTrue(ProjectionCheckpointFormat.read(channel).writtenBy(changed),
                                "only checkpoints of the new definition are left: " + checkpoint);
                    }
                }
            }
        }
    }

    @Test
    void aCheckpointPastTheEndOfTheLogIsDeleted() throws IOException {
        Path longer = dataDir.resolve("longer");
        Path shorter = dataDir.resolve("shorter");
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(longer));
             ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
            balances.awaitOffset(Ledger.append(node, new Random(5), 100).offset()).block(WAIT);
        }
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(shorter))) {
            Ledger.append(node, new Random(7), 20); // fewer entries than the first checkpoint covers
        }
        copyTree(longer.resolve("projections"), shorter.resolve("projections"));

        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(shorter));
             ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
            FoldedState<Balances> folded = balances.awaitOffset(node.lastOffset()).block(WAIT);

            assertEquals(Checkpoint.NONE, balances.startedFrom());
            assertEquals(Balances.fullFold(Ledger.readAll(node), Ledger.ACCOUNTS), folded.state());
        }
    }

    private interface Damage {
        void apply(Path file) throws IOException;
    }

    private void corruptNewestAndRestart(Damage damage) throws IOException {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            try (ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
                balances.awaitOffset(Ledger.append(node, new Random(6), 300).offset()).block(WAIT);
            }
            List<Checkpoint> written = checkpoints();
            assertEquals(3, written.size(), written.toString());
            damage.apply(written.get(0).file());

            try (ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS, EVERY_100)) {
                FoldedState<Balances> folded = balances.awaitOffset(node.lastOffset()).block(WAIT);

                List<Entry> log = Ledger.readAll(node);
                assertEquals(written.get(1), balances.startedFrom());
                assertEquals(selectedAfter(log, written.get(1).offset()), balances.foldedSinceStart());
                assertEquals(Balances.fullFold(log, Ledger.ACCOUNTS), folded.state());
            }
        }
    }

    private List<Checkpoint> checkpoints() throws IOException {
        return ProjectionFiles.checkpoints(dataDir, Balances.OF_ACCOUNTS.name());
    }

    private long newestCheckpointOffset() throws IOException {
        return checkpoints().get(0).offset();
    }

    private static long selectedAfter(List<Entry> log, long offset) {
        return log.stream().filter(e -> e.offset() > offset && Ledger.ACCOUNTS.includes(e)).count();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }
}

package io.eventlog.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.checkpoint.CrashPoint;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.testing.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crashes of a process that appends and folds, at any moment: in the middle of a fold, at each step of
 * writing a projection checkpoint, or a kill -9 from outside. The next start must give exactly the state
 * of one fold over the whole log: the balances fold checks each entry's version, so an entry folded
 * twice (or skipped) across the crash stops it, and its balances would differ from the full fold's.
 */
class ProjectionCrashTest {
    private static final int CHECKPOINT_EVERY = 100;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void haltsInTheMiddleOfAFoldLoseNothingAndFoldNothingTwice() {
        Path data = dir.resolve("data");
        // The first run halts while folding live entries, the second while folding the tail after its checkpoint.
        assertEquals(ProjectionCrashWorkload.HALTED, runToExit(data, 1, 1000, 437, List.of()));
        assertEquals(ProjectionCrashWorkload.HALTED, runToExit(data, 2, 1000, 13, List.of()));
        assertEquals(ProjectionCrashWorkload.HALTED, runToExit(data, 3, 1000, 250, List.of()));

        verifyResumesToTheFullFold(data);
    }

    @Test
    void aKillNineWhileAppendingAndFoldingLosesNothingAndFoldsNothingTwice() {
        Path data = dir.resolve("data");
        try (JvmProcess child = startChild(data, 4, 100_000, 0, List.of())) {
            // Killed once the projection has checkpointed a few times and folded past its newest checkpoint.
            child.awaitLine(line -> {
                String[] p = line.split(" ");
                return p[0].equals("PROGRESS") && Long.parseLong(p[3]) >= 3 * CHECKPOINT_EVERY
                        && Long.parseLong(p[2]) > Long.parseLong(p[3]);
            }, CHILD_TIMEOUT);
            child.kill9();
        }
        verifyResumesToTheFullFold(data);
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashWhileWritingAProjectionCheckpointResumesFromAWholeOne(CrashPoint step) {
        Path data = dir.resolve("data");
        assertEquals(0, runToExit(data, 5, 100, 0, List.of()), "a clean run leaves checkpoints");
        assertEquals(CrashPoint.EXIT_STATUS,
                runToExit(data, 6, 1000, 0, List.of("-D" + CrashPoint.PROPERTY + "=" + step.step())));
        verifyResumesToTheFullFold(data);
    }

    private int runToExit(Path data, int seed, int appends, int haltAtFold, List<String> jvmArgs) {
        try (JvmProcess child = startChild(data, seed, appends, haltAtFold, jvmArgs)) {
            return child.awaitExit(CHILD_TIMEOUT);
        }
    }

    private JvmProcess startChild(Path data, int seed, int appends, int haltAtFold, List<String> jvmArgs) {
        return JvmProcess.builder(ProjectionCrashWorkload.class)
                .name("projection-crash-" + seed)
                .stderrTo(dir.resolve("child-" + seed + ".log"))
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .args(data.toString(), Integer.toString(seed), Integer.toString(appends),
                        Integer.toString(CHECKPOINT_EVERY), Integer.toString(haltAtFold))
                .start();
    }

    /** A start on what the crash left folds only the tail after the newest checkpoint, to the full fold's state. */
    private static void verifyResumesToTheFullFold(Path data) {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data));
             ProjectionHandle<Balances> balances = Projections.start(node, Balances.OF_ACCOUNTS,
                     CheckpointConfig.defaults().withEveryEntries(CHECKPOINT_EVERY))) {
            FoldedState<Balances> folded = balances.awaitOffset(node.lastOffset()).block(Duration.ofSeconds(30));

            List<Entry> log = Ledger.readAll(node);
            long checkpoint = balances.startedFrom().offset();
            assertTrue(checkpoint > 0, "it resumed from a checkpoint");
            assertEquals(log.stream().filter(e -> e.offset() > checkpoint && Ledger.ACCOUNTS.includes(e)).count(),
                    balances.foldedSinceStart(), "only the entries after the checkpoint are folded");
            assertNull(balances.failure());
            assertEquals(Balances.fullFold(log, Ledger.ACCOUNTS), folded.state());
        }
    }
}

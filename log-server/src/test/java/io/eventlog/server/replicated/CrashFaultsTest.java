package io.eventlog.server.replicated;

import static io.eventlog.server.replicated.FaultSteps.PROGRESS;
import static io.eventlog.server.replicated.FaultSteps.appendsEndedBetween;
import static io.eventlog.server.replicated.FaultSteps.awaitProgress;
import static io.eventlog.server.replicated.FaultSteps.leaderUnderLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.history.CheckReport;
import io.eventlog.server.testing.history.Op;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes of a three-process cluster crash (kill -9) or stop under load and come back on their data; the
 * history of every client operation must stay valid (HistoryChecker), and appends must go on.
 */
class CrashFaultsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void theLeaderKilledUnderLoadIsReplacedAndCatchesUpAfterItsRestart() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("leader-kill", data)) {
            int leader = leaderUnderLoad(run);
            killGoOnAndRestart(run, leader, () -> assertNotEquals(leader, run.cluster().leader()));
        }
    }

    @Test
    void aKilledFollowerCatchesUpAfterItsRestartWhileTheOthersGoOn() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("follower-kill", data)) {
            int leader = leaderUnderLoad(run);
            killGoOnAndRestart(run, leader % run.cluster().size() + 1,
                    () -> assertEquals(leader, run.cluster().leader(), "the leader changed when a follower died"));
        }
    }

    @Test
    void theWholeClusterStoppedAndStartedKeepsEveryAcknowledgedAppend() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("cluster-restart", data)) {
            awaitProgress(run);
            Op stopped = run.nemesis().stopAll();
            Op started = run.nemesis().startAll();
            run.cluster().leader();
            awaitProgress(run);
            finishWithFailuresBetween(run, stopped, started, 2 * PROGRESS);
        }
    }

    /**
     * Kills the node, checks {@code whileDown} and waits for the others to go on, restarts it, waits for more
     * appends, and finishes: the history must be valid, with appends that failed while the node was down.
     */
    private static void killGoOnAndRestart(ClusterScenario run, int node, Runnable whileDown) throws Exception {
        Op killed = run.nemesis().kill9(node);
        whileDown.run();
        awaitProgress(run);
        Op restarted = run.nemesis().restart(node);
        awaitProgress(run);
        finishWithFailuresBetween(run, killed, restarted, 3 * PROGRESS);
    }

    private static void finishWithFailuresBetween(ClusterScenario run, Op fault, Op healed, int acknowledged)
            throws InterruptedException {
        CheckReport report = run.finish();
        assertTrue(report.appendsOk() >= acknowledged, report::toString);
        assertTrue(appendsEndedBetween(run, fault, healed, FaultSteps::notOk) > 0,
                "no append failed during the fault: " + run.artifacts());
    }
}

package io.eventlog.server.replicated;

import static io.eventlog.server.replicated.FaultSteps.PROGRESS;
import static io.eventlog.server.replicated.FaultSteps.PROGRESS_TIMEOUT;
import static io.eventlog.server.replicated.FaultSteps.awaitProgress;
import static io.eventlog.server.replicated.FaultSteps.holdUntil;
import static io.eventlog.server.replicated.FaultSteps.leaderUnderLoad;
import static io.eventlog.server.replicated.FaultSteps.status;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.NodeStatus;
import io.eventlog.server.testing.Poll;
import io.eventlog.server.testing.history.CheckReport;
import io.eventlog.server.testing.history.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader freezes (SIGSTOP: a long GC pause, a stalled VM) for longer than the election timeout, with
 * appends in flight on it, and then runs on (SIGCONT) as if nothing happened. The others elect a new leader;
 * the old one must step down and catch up, and whatever it answers after its term ended must be true: an
 * append it acknowledges is in every node's log at the acknowledged offset (else the checker reports a
 * lost or misplaced write).
 */
class PauseFaultTest {
    /** Two to four election timeouts (1 to 2 s each). */
    private static final Duration PAUSE = Duration.ofMillis(3_500);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aLeaderPausedPastTheElectionTimeoutStepsDownAndCatchesUp() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("leader-pause", data)) {
            int leader = leaderUnderLoad(run);
            long term = status(run, leader).term();
            Op paused = run.nemesis().pause(leader);
            List<Integer> others = run.cluster().ids().stream().filter(id -> id != leader).toList();
            assertNotEquals(leader, run.cluster().leaderAmong(others));
            holdUntil(paused, PAUSE, run);
            Op resumed = run.nemesis().resume(leader);
            NodeStatus after = Poll.until("node " + leader + " to follow a leader of a later term", PROGRESS_TIMEOUT,
                    () -> NodeStatus.of(run.cluster().httpBase(leader))
                            .filter(s -> s.leader() != 0 && s.leader() != leader && s.term() > term),
                    run.cluster()::describe);
            awaitProgress(run);
            CheckReport report = run.finish();

            assertTrue(after.term() > term);
            assertTrue(report.appendsOk() >= 2 * PROGRESS, report::toString);
            String pausedNode = run.cluster().httpBase(leader).toString();
            // Sent before the resume and answered after it: the frozen leader held it through the pause.
            assertTrue(run.history().ops().stream().anyMatch(op -> op.type() == Op.Type.APPEND
                            && op.phase() != Op.Phase.INVOKE && pausedNode.equals(op.node())
                            && op.invoke() < resumed.index() && op.index() > resumed.index()),
                    "no append was in flight on the leader through its pause: " + run.artifacts());
        }
    }

}

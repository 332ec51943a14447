package io.eventlog.server.replicated;

import static io.eventlog.server.replicated.FaultSteps.PROGRESS;
import static io.eventlog.server.replicated.FaultSteps.appendsEndedBetween;
import static io.eventlog.server.replicated.FaultSteps.awaitProgress;
import static io.eventlog.server.replicated.FaultSteps.holdUntil;
import static io.eventlog.server.replicated.FaultSteps.leaderUnderLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.Poll;
import io.eventlog.server.testing.TcpProxy.Mode;
import io.eventlog.server.testing.history.CheckReport;
import io.eventlog.server.testing.history.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Network faults on the peer links, through the proxies: partitions, one-way blackholes, slow links. */
class PartitionFaultsTest {
    /** Longer than an election timeout (1 to 2 s): a node cut off has given up on its leader by then. */
    private static final Duration FAULT = Duration.ofSeconds(3);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    /**
     * The leader is cut off from both followers. Appends sent to it while it is cut off must not be acknowledged
     * before the heal (it cannot reach a majority); the other two elect a leader and go on; after the heal all
     * converge.
     */
    @Test
    void anIsolatedLeaderAcknowledgesNothingWhileTheMajorityGoesOn() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("leader-isolated", data)) {
            int leader = leaderUnderLoad(run);
            String isolatedNode = run.cluster().httpBase(leader).toString();
            Op isolated = run.nemesis().isolate(leader);
            List<Integer> majority = run.cluster().ids().stream().filter(id -> id != leader).toList();
            assertNotEquals(leader, run.cluster().leaderAmong(majority));
            awaitProgress(run);
            holdUntil(isolated, FAULT, run);
            Predicate<Op> sentToIsolatedNode = op -> isolatedNode.equals(op.node()) && op.invoke() > isolated.index();
            Poll.until("an append sent to the isolated node to end", FaultSteps.PROGRESS_TIMEOUT,
                    () -> appendsEndedBetween(run, isolated, lastOp(run), sentToIsolatedNode) > 0
                            ? Optional.of(true) : Optional.empty(), run.cluster()::describe);
            Op healed = run.nemesis().heal();
            awaitProgress(run);
            CheckReport report = run.finish();

            // Appends sent before the cut may still be acknowledged: they may have committed before it.
            assertEquals(0, appendsEndedBetween(run, isolated, healed,
                    sentToIsolatedNode.and(op -> op.phase() == Op.Phase.OK)),
                    "the isolated node acknowledged an append sent to it while isolated; " + run.artifacts());
            assertTrue(appendsEndedBetween(run, isolated, healed, op -> !isolatedNode.equals(op.node())
                    && op.phase() == Op.Phase.OK) >= PROGRESS, "the majority did not go on: " + report);
        }
    }

    /**
     * One follower stops hearing the leader (a one-way blackhole: it still reaches everyone) while the links
     * between the leader and the other follower are slow. Pre-vote and check-quorum keep the cut-off follower
     * from deposing a leader the others still hear; commits go on over the slow links; after the heal the
     * cut-off follower catches up.
     */
    @Test
    void aOneWayBlackholeAndSlowLinksDelayCommitsButLoseNothing() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("blackhole-delay", data)) {
            int leader = leaderUnderLoad(run);
            int slow = leader % run.cluster().size() + 1;
            int deaf = slow % run.cluster().size() + 1;
            Op blackholed = run.nemesis().link(leader, deaf, Mode.BLACKHOLE);
            run.nemesis().link(leader, slow, Mode.delay(Duration.ofMillis(150)));
            run.nemesis().link(slow, leader, Mode.delay(Duration.ofMillis(150)));
            awaitProgress(run);
            holdUntil(blackholed, FAULT, run);
            Op healed = run.nemesis().heal();
            awaitProgress(run);
            CheckReport report = run.finish();

            assertTrue(appendsEndedBetween(run, blackholed, healed, op -> op.phase() == Op.Phase.OK) >= PROGRESS,
                    "commits stopped during the fault: " + report);
        }
    }

    private static Op lastOp(ClusterScenario run) {
        List<Op> ops = run.history().ops();
        return ops.get(ops.size() - 1);
    }
}

package io.eventlog.server.replicated;

import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.NodeStatus;
import io.eventlog.server.testing.Poll;
import io.eventlog.server.testing.history.Op;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Steps the cluster fault tests share. */
final class FaultSteps {
    /** Acknowledged appends that show the cluster working at a stage of a test. */
    static final int PROGRESS = 30;
    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(45);

    private FaultSteps() {
    }

    /** Waits until {@link #PROGRESS} more appends are acknowledged. */
    static void awaitProgress(ClusterScenario run) {
        run.workload().awaitOkAppends(run.workload().okAppends() + PROGRESS, PROGRESS_TIMEOUT);
    }

    /** Waits until appends flow, then returns the leader all nodes agree on. */
    static int leaderUnderLoad(ClusterScenario run) {
        awaitProgress(run);
        return run.cluster().leader();
    }

    /** Keeps a fault on until {@code length} after it began (the fault's length, not a condition). */
    static void holdUntil(Op fault, Duration length, ClusterScenario run) {
        long left = fault.time() + length.toNanos() - run.history().elapsedNanos();
        Poll.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    static NodeStatus status(ClusterScenario run, int id) {
        return NodeStatus.of(run.cluster().httpBase(id)).orElseThrow(() -> new AssertionError("node " + id
                + " does not answer; " + run.cluster().describe()));
    }

    /** Append completions (ok, fail or info) recorded between two ops that match. */
    static long appendsEndedBetween(ClusterScenario run, Op from, Op to, Predicate<Op> matching) {
        return run.history().ops().subList((int) from.index(), (int) to.index()).stream()
                .filter(op -> op.type() == Op.Type.APPEND && op.phase() != Op.Phase.INVOKE)
                .filter(matching).count();
    }

    /** Ended without success: failed, or indeterminate. */
    static boolean notOk(Op completion) {
        return completion.phase() == Op.Phase.FAIL || completion.phase() == Op.Phase.INFO;
    }
}

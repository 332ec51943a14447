package io.eventlog.server.replicated;

import static io.eventlog.server.replicated.FaultSteps.awaitProgress;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.ClusterWorkload;
import io.eventlog.server.testing.history.Op;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSE ids are positions in the replicated log (offsets, or versions in a stream), the same on every node: a
 * subscriber whose node dies resumes on another node with Last-Event-ID and misses nothing and repeats
 * nothing (the checker's poll-skip and nonmonotonic-poll).
 */
class SseResumeTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void sseSubscribersResumeOnAnotherNodeWithLastEventIdAfterTheirNodeIsKilled() throws Exception {
        try (ClusterScenario run = ClusterScenario.start("sse-resume", data)) {
            // The log's SSE subscription starts on node 1, the stream's on node 2; each moves on to the next node.
            for (int node : List.of(1, 2)) {
                awaitProgress(run);
                run.nemesis().kill9(node);
                awaitProgress(run);
                run.nemesis().restart(node);
            }
            awaitProgress(run);
            run.finish();

            for (String subscription : List.of(ClusterWorkload.LOG_SSE, ClusterWorkload.STREAM_SSE)) {
                assertTrue(resumedWithLastEventIdAndDelivered(run.history().ops(), subscription),
                        subscription + " never resumed with Last-Event-ID and got entries after it: " + run.artifacts());
            }
        }
    }

    /** A resume with Last-Event-ID, and a delivery after it. */
    private static boolean resumedWithLastEventIdAndDelivered(List<Op> ops, String subscription) {
        long resumedAt = ops.stream().filter(op -> op.is(Op.Type.SUBSCRIBE, Op.Phase.INVOKE)
                && subscription.equals(op.subscription()) && op.lastEventId() != null)
                .mapToLong(Op::index).min().orElse(Long.MAX_VALUE);
        return ops.stream().anyMatch(op -> op.is(Op.Type.SUBSCRIBE, Op.Phase.OK) && subscription.equals(op.subscription())
                && op.index() > resumedAt);
    }
}

package io.eventlog.server.projection;

import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs projections on an embedded node: each keeps its own state derived from the committed entries,
 * checkpointed under {@code <data>/projections/<name>/}, and resumes after a restart from its newest
 * checkpoint, folding only the entries after it. Works the same on a single node and on a cluster
 * member (it folds what the member has committed and applied).
 *
 * <pre>{@code
 * try (ProjectionHandle<Balances> balances = Projections.start(node, BALANCES)) {
 *     AppendResult r = node.append("account-7", EventData.json("Deposited", "{\"amount\":5}")).block();
 *     Balances now = balances.awaitOffset(r.offset()).block(Duration.ofSeconds(5)).state();
 * }
 * }</pre>
 *
 * Close a projection before its node; a node that closes first ends its projections (they checkpoint
 * as they stop). The README's "Projections" section has the whole example and the guarantees.
 */
public final class Projections {
    /** A checkpoint every 100,000 entries gone past or every minute (when there is something new); 3 kept. */
    public static final CheckpointConfig DEFAULT_CHECKPOINTS = new CheckpointConfig(100_000, Duration.ofMinutes(1), 3);
    private static final String DIRECTORY = "projections";
    /** Projection directories running in this JVM: two handles of one projection would overwrite each other. */
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

    private Projections() {
    }

    /** Starts a projection with {@link #DEFAULT_CHECKPOINTS}. */
    public static <S> ProjectionHandle<S> start(EventLogNode node, Projection<S> projection) {
        return start(node, projection, DEFAULT_CHECKPOINTS);
    }

    /**
     * Starts a projection: loads its newest usable checkpoint and follows the log from there.
     *
     * @param checkpoints when to checkpoint (every {@code everyEntries} entries the projection goes past,
     *                    selected or not, or every {@code interval} when there is something new) and
     *                    how many checkpoint files to keep
     * @throws IllegalStateException when a projection of that name already runs on this node
     */
    public static <S> ProjectionHandle<S> start(EventLogNode node, Projection<S> projection,
                                                CheckpointConfig checkpoints) {
        Path directory = node.config().dataDir().toAbsolutePath().normalize().resolve(DIRECTORY)
                .resolve(projection.name());
        if (!RUNNING.add(directory)) {
            throw new IllegalStateException("projection " + projection.name() + " already runs on the node at "
                    + node.config().dataDir() + ": close its handle first");
        }
        try {
            // A single node's log is complete once it is open; a cluster member may still be catching up.
            long logEnd = node.clusterView() == null ? Math.max(0, node.lastOffset()) : Long.MAX_VALUE;
            return ProjectionHandle.start(node, logEnd, projection,
                    ProjectionCheckpoints.open(directory, checkpoints.kept()), checkpoints,
                    node.config().meterRegistry(), () -> RUNNING.remove(directory));
        } catch (RuntimeException | Error e) {
            RUNNING.remove(directory);
            throw e;
        }
    }
}

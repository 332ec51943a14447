package io.eventlog.server.projection;

import io.eventlog.server.checkpoint.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a running projection writes its checkpoints, and the writing: after {@code everyEntries}
 * entries gone past, and whenever asked (by the periodic task, a request, the close). Used on the
 * projection's thread only, which keeps one write at a time and each of a state that existed.
 */
final class ProjectionCheckpointer<S> {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionCheckpointer.class);

    private final Projection<S> projection;
    private final ProjectionCheckpoints files;
    private final long everyEntries;
    private final ProjectionMetrics metrics;
    private volatile Checkpoint newest;
    private long checkpointedOffset;
    private long sinceCheckpoint;

    ProjectionCheckpointer(Projection<S> projection, ProjectionCheckpoints files, long everyEntries,
                           ProjectionMetrics metrics, ProjectionCheckpoints.Resumed<S> resumed) {
        this.projection = projection;
        this.files = files;
        this.everyEntries = everyEntries;
        this.metrics = metrics;
        this.newest = resumed.checkpoint();
        this.checkpointedOffset = resumed.folded().offset();
    }

    /** The newest checkpoint written or started from (any thread). */
    Checkpoint newest() {
        return newest;
    }

    /** After each entry the projection went past: writes a checkpoint once {@code everyEntries} are uncovered. */
    void wentPast(FoldedState<S> folded) {
        if (++sinceCheckpoint >= everyEntries) {
            writeLoggingFailure(folded);
        }
    }

    /** Writes a checkpoint if there is something new; a failure is logged, and retried later. */
    void writeLoggingFailure(FoldedState<S> folded) {
        try {
            writeIfNew(folded);
        } catch (Exception e) {
            sinceCheckpoint = 0; // a full disk is retried after the next everyEntries, not after every entry
            LOG.error("projection {}: the checkpoint at offset {} failed", projection.name(), folded.offset(), e);
        }
    }

    /** Writes a checkpoint of {@code folded} unless the newest already covers it; returns the newest. */
    Checkpoint writeIfNew(FoldedState<S> folded) throws Exception {
        if (folded.offset() <= checkpointedOffset) {
            return newest;
        }
        long started = System.nanoTime();
        Checkpoint written = files.write(projection, folded);
        metrics.checkpointWritten(System.nanoTime() - started);
        checkpointedOffset = folded.offset();
        sinceCheckpoint = 0;
        newest = written;
        LOG.debug("projection {}: checkpoint at offset {} written to {}", projection.name(), folded.offset(),
                written.file());
        return written;
    }
}

package io.eventlog.server.projection;

import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointStore;
import io.eventlog.server.checkpoint.UnusableCheckpointException;
import io.eventlog.server.checkpoint.UnusableCheckpointException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One projection's checkpoint files, {@code <data>/projections/<name>/<offset, 20 digits>.ckpt}, written
 * and pruned by the node's {@link CheckpointStore} (temp file, fsync, rename, directory fsync; the
 * newest {@code kept} kept; a crash leaves at most a temp file, deleted at the next start).
 */
final class ProjectionCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionCheckpoints.class);

    /** Where a projection resumes: the state and offset, and the checkpoint they come from. */
    record Resumed<S>(FoldedState<S> folded, Checkpoint checkpoint) {
    }

    /** What the newest usable checkpoint turned out to be. */
    private sealed interface Found<S> {
        record Compatible<S>(FoldedState<S> folded) implements Found<S> {
        }

        record WrittenByAnotherDefinition<S>(String definition) implements Found<S> {
        }
    }

    private final CheckpointStore store;

    private ProjectionCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    static ProjectionCheckpoints open(Path directory, int kept) {
        return new ProjectionCheckpoints(CheckpointStore.open(directory, kept));
    }

    Path directory() {
        return store.directory();
    }

    /**
     * The newest usable checkpoint's state, or the initial state at offset 0 when there is none. A
     * damaged checkpoint, or one whose state the codec cannot decode, is passed over (logged, kept); one
     * past {@code logEnd} (the log lost entries it reflects) is deleted; {@link Long#MAX_VALUE} when the end is unknown.
     * A checkpoint of another definition (version or selection) means the projection starts from
     * scratch: its checkpoints are deleted, since the new ones must not compete with them.
     */
    <S> Resumed<S> resume(Projection<S> projection, long logEnd) {
        CheckpointStore.Loaded<Found<S>> loaded = store.loadNewestValid(channel -> {
            ProjectionCheckpointFormat.Stored stored = ProjectionCheckpointFormat.read(channel);
            if (stored.offset() > logEnd) {
                throw new UnusableCheckpointException(Reason.NOT_IN_LOG, "it reflects offset " + stored.offset()
                        + ", past the end of the log at " + logEnd);
            }
            if (!stored.writtenBy(projection)) {
                return new Found.WrittenByAnotherDefinition<>(stored.definition());
            }
            return new Found.Compatible<>(new FoldedState<>(stored.offset(), decode(projection, stored)));
        });
        FoldedState<S> initial = new FoldedState<>(0, projection.initialState());
        if (loaded == null) {
            return new Resumed<>(initial, Checkpoint.NONE);
        }
        if (loaded.content() instanceof Found.WrittenByAnotherDefinition<S> other) {
            LOG.warn("projection {}: checkpoint {} was written by {}, this is version {} selecting {}: deleting its"
                            + " checkpoints and folding from the start of the log", projection.name(),
                    loaded.checkpoint().file(), other.definition(), projection.version(), projection.selection());
            deleteAll();
            return new Resumed<>(initial, Checkpoint.NONE);
        }
        return new Resumed<>(((Found.Compatible<S>) loaded.content()).folded(), loaded.checkpoint());
    }

    private static <S> S decode(Projection<S> projection, ProjectionCheckpointFormat.Stored stored)
            throws UnusableCheckpointException {
        try {
            S state = projection.codec().decode(stored.state());
            if (state == null) {
                throw new IllegalStateException("the codec decoded null");
            }
            return state;
        } catch (Exception e) {
            throw new UnusableCheckpointException(Reason.CORRUPT, "its state cannot be decoded: " + e);
        }
    }

    /** Writes the state with the offset it reflects, then prunes. */
    <S> Checkpoint write(Projection<S> projection, FoldedState<S> folded) throws Exception {
        byte[] state = projection.codec().encode(folded.state());
        ProjectionCheckpointFormat.Stored stored = new ProjectionCheckpointFormat.Stored(projection.name(),
                projection.version(), projection.selection().key(), folded.offset(), state);
        return store.write(folded.offset(), channel -> ProjectionCheckpointFormat.write(stored, channel));
    }

    private void deleteAll() {
        for (Checkpoint checkpoint : store.list()) {
            try {
                Files.deleteIfExists(checkpoint.file());
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", checkpoint.file(), e.toString());
            }
        }
    }
}

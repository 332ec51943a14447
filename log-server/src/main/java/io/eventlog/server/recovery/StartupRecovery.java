package io.eventlog.server.recovery;

import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointCodec;
import io.eventlog.server.checkpoint.CheckpointStore;
import io.eventlog.server.checkpoint.RestoredCheckpoint;
import io.eventlog.server.checkpoint.UnusableCheckpointException;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;

/**
 * Rebuilds a single node's state at start-up: from the newest checkpoint whose anchor record the log
 * still holds, then by replaying the log after it; without one, by replaying the whole log. Either
 * way the state is the one a full replay gives, and start-up reads only the log the checkpoint does
 * not cover.
 */
public final class StartupRecovery {

    /**
     * @param replay     the replay after the checkpoint (or of the whole log); its reader stands at the end
     * @param checkpoint the checkpoint started from, {@link Checkpoint#NONE} for a full replay
     */
    public record Result(EventStateMachine state, OffsetIndex offsets, LogReplay.Result replay, Checkpoint checkpoint) {
    }

    private StartupRecovery() {
    }

    /**
     * A full replay needs the log from its first entry: refuses a log whose first files retention
     * deleted (its first event is past offset 1), which only a checkpoint can make whole.
     */
    private static void requireWholeLog(LogReader reader) {
        reader.toStart();
        LogReader.FrameExcerpt first = reader.nextFrame();
        while (first != null && !first.isCorrupt() && first.frame().kind() != RecordKind.EVENT) {
            first = reader.nextFrame(); // start-up markers
        }
        reader.toStart();
        if (first != null && !first.isCorrupt() && first.frame().offset() > 1) {
            throw new IllegalStateException("the log starts at offset " + first.frame().offset() + ": retention deleted"
                    + " the entries before it, and no checkpoint that covers them is usable, so the node's state cannot"
                    + " be rebuilt. Restore a checkpoint file into the checkpoints directory.");
        }
    }

    public static Result recover(LogReader reader, CheckpointStore checkpoints, IdempotencyLimits idempotencyLimits) {
        CheckpointStore.Loaded<RestoredCheckpoint> loaded = checkpoints.loadNewestValid(channel -> {
            RestoredCheckpoint restored = CheckpointCodec.read(channel, idempotencyLimits);
            String mismatch = restored.anchor().mismatch(reader);
            if (mismatch != null) {
                throw new UnusableCheckpointException(UnusableCheckpointException.Reason.NOT_IN_LOG, mismatch);
            }
            return restored;
        });
        if (loaded == null) {
            requireWholeLog(reader);
            OffsetIndex offsets = new OffsetIndex();
            EventStateMachine state = new EventStateMachine(idempotencyLimits);
            return new Result(state, offsets, LogReplay.replay(reader, offsets, state), Checkpoint.NONE);
        }
        RestoredCheckpoint restored = loaded.content();
        LogReplay.Result replay = LogReplay.redo(reader, restored.offsets(), restored.state(),
                restored.anchor().offset());
        return new Result(restored.state(), restored.offsets(), replay, loaded.checkpoint());
    }
}

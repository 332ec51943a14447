package io.eventlog.server.checkpoint;

import io.eventlog.server.recovery.LogReplay;
import io.eventlog.server.recovery.StartupRecovery;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;

/** The state a closed node's data directory gives: by a full replay, or as a start-up rebuilds it. */
final class Startups {
    static final IdempotencyLimits WINDOW = IdempotencyLimits.defaults();

    /** What a start-up made of a directory: the state and the checkpoint it started from. */
    record Started(StateImage image, Checkpoint checkpoint, long redone) {
    }

    private Startups() {
    }

    static StateImage fullReplay(Path dataDir) {
        try (ChronicleLog log = ChronicleLog.open(dataDir, RollCycles.FAST_HOURLY, false);
             LogReader reader = log.createReader()) {
            OffsetIndex offsets = new OffsetIndex();
            EventStateMachine state = new EventStateMachine(WINDOW);
            LogReplay.replay(reader, offsets, state);
            return StateImage.of(state, offsets);
        }
    }

    /** Rebuilds the state as {@code EventLogNode.open} does (loading a checkpoint may delete one), writing nothing else. */
    static Started startup(Path dataDir) {
        try (ChronicleLog log = ChronicleLog.open(dataDir, RollCycles.FAST_HOURLY, false);
             LogReader reader = log.createReader()) {
            StartupRecovery.Result result = StartupRecovery.recover(reader,
                    CheckpointStore.open(dataDir.resolve("checkpoints"), 1000), WINDOW);
            return new Started(StateImage.of(result.state(), result.offsets()), result.checkpoint(),
                    result.replay().liveRecords());
        }
    }
}

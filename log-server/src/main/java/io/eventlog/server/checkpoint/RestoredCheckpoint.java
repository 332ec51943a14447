package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;

/** A checkpoint read back: the state and offset index rebuilt, ready for replay after the anchor. */
public record RestoredCheckpoint(LogAnchor anchor, RaftMeta raft, EventStateMachine state, OffsetIndex offsets) {
}

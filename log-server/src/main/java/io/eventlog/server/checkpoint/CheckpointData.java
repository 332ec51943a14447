package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.StateSnapshot;
import java.util.List;

/**
 * Everything a checkpoint file holds: enough to resume without reading the log before the anchor.
 *
 * @param anchor the record the checkpoint ends on; replay goes on after it
 * @param raft   the Raft position and membership ({@link RaftMeta#NONE} on a single node)
 * @param state  the event state machine at the anchor's offset
 * @param runs   the offset index at the anchor's offset (where this node stores each offset)
 * @param firstHeldOffset the first offset this node still holds (1 unless retention deleted the log before it
 *                        or the node started from a snapshot received from its leader)
 */
public record CheckpointData(LogAnchor anchor, RaftMeta raft, StateSnapshot state, List<OffsetIndex.Run> runs,
                             long firstHeldOffset) {
}

package io.eventlog.server.streams;

import java.util.List;

/**
 * The event state machine at one offset, taken for a checkpoint: every stream's versions and the
 * idempotency window's live appends, oldest first.
 *
 * @param lastOffset the last offset applied, -1 for none
 */
public record StateSnapshot(long lastOffset, List<StreamSnapshot> streams, List<RememberedAppend> remembered) {
}

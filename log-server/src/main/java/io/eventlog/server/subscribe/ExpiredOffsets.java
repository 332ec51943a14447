package io.eventlog.server.subscribe;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.storage.OffsetIndex;

/**
 * Tells a reader that its position is gone: the node no longer holds the offset it asks for (retention
 * deleted it, or the node started from a snapshot received from its leader). 410 {@code offset_expired}.
 */
final class ExpiredOffsets {

    private ExpiredOffsets() {
    }

    /** Fails unless this node holds {@code offset} or could still hold it (a future one). */
    static void requireHeld(OffsetIndex offsets, long offset) {
        long firstHeld = offsets.firstHeldOffset();
        if (firstHeld > 1 && offset < firstHeld) {
            throw new EventLogException(ErrorCode.OFFSET_EXPIRED, "offset " + offset + " has expired on this node:"
                    + " it holds the log from offset " + firstHeld + " on");
        }
    }
}

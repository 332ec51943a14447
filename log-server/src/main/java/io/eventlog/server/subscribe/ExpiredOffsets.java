package io.eventlog.server.subscribe;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.StreamIndex;
import io.eventlog.server.streams.StreamRegistry;

/**
 * Tells a reader that its position is gone: the node no longer holds the offset it asks for (retention
 * deleted it, or the node started from a snapshot received from its leader). 410 {@code offset_expired}.
 */
public final class ExpiredOffsets {

    private ExpiredOffsets() {
    }

    /**
     * Fails unless a subscription can start where it asks: its first entry (the offset, or the
     * stream version's offset) is held, or still to come. Lets an HTTP subscription answer 410
     * before its headers go out.
     */
    public static void requireStartHeld(OffsetIndex offsets, StreamRegistry streams, SubscribeRequest request) {
        if (request.fromEnd()) {
            return;
        }
        if (request.isLog()) {
            requireHeld(offsets, request.from());
            return;
        }
        StreamIndex index = streams.get(request.stream());
        if (index != null && request.from() < index.size()) {
            requireHeld(offsets, index.offsetOf(request.from()));
        }
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

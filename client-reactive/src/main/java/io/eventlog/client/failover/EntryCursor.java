package io.eventlog.client.failover;

import io.eventlog.api.Entry;

/**
 * Where a stream of entries stands: the position (stream version, or log offset) and offset of
 * the last entry handed to the subscriber. A resumed request starts right after it; an entry at
 * or before it is never handed out again.
 */
final class EntryCursor {
    private final boolean log;
    private long lastPosition = -1;
    private long lastOffset = -1;
    private long delivered;

    EntryCursor(boolean log) {
        this.log = log;
    }

    boolean isNew(Entry entry) {
        return lastPosition < 0 || position(entry) > lastPosition;
    }

    void delivered(Entry entry) {
        lastPosition = position(entry);
        lastOffset = entry.offset();
        delivered++;
    }

    boolean hasDelivered() {
        return lastPosition >= 0;
    }

    /** Where the next entry is: the version or offset after the last one. */
    long next() {
        return lastPosition + 1;
    }

    /** A min_offset for the resumed request: the node must hold what was already delivered. */
    long minOffset(long requested) {
        return Math.max(requested, lastOffset);
    }

    long deliveredCount() {
        return delivered;
    }

    private long position(Entry entry) {
        return log ? entry.offset() : entry.version();
    }
}

package io.eventlog.client.failover;

import io.eventlog.api.Entry;
import io.eventlog.api.ReadRequest;

/**
 * What a bounded read asks each node: the rest of it, after the last entry delivered. A node caps
 * one answer (at no less than {@link #SERVER_MIN_CAP} entries, API.md), so a larger read goes on
 * with another request while a capped answer came back full.
 */
final class ReadPosition {
    /** The least a node may cap a read's limit at. */
    static final int SERVER_MIN_CAP = 10_000;

    private final ReadRequest original;
    private final EntryCursor cursor;
    private int lastAsked;
    private long deliveredBeforeLast;

    ReadPosition(ReadRequest original) {
        this.original = original;
        this.cursor = new EntryCursor(original.isLog());
    }

    ReadRequest nextRequest() {
        lastAsked = remaining();
        deliveredBeforeLast = cursor.deliveredCount();
        if (!cursor.hasDelivered()) {
            return original;
        }
        return new ReadRequest(original.stream(), cursor.next(), lastAsked, cursor.minOffset(original.minOffset()));
    }

    boolean accepts(Entry entry) {
        return cursor.isNew(entry) && remaining() > 0;
    }

    void delivered(Entry entry) {
        cursor.delivered(entry);
    }

    /** Whether the last answer was cut at a node's cap while more was asked for. */
    boolean wantsAnotherPage() {
        return remaining() > 0 && lastAsked > SERVER_MIN_CAP
                && cursor.deliveredCount() - deliveredBeforeLast >= SERVER_MIN_CAP;
    }

    private int remaining() {
        return (int) (original.limit() - cursor.deliveredCount());
    }
}

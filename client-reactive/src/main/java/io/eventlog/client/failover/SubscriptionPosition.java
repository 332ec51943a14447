package io.eventlog.client.failover;

import io.eventlog.api.Entry;
import io.eventlog.api.SubscribeRequest;

/**
 * What a subscription asks each node it connects to, so that the entries handed out never repeat
 * and never skip. After an entry was delivered: from the next version or offset. Before, for a
 * subscription from the end: the commit index learnt before the first attempt is the fence, and
 * only entries above it count as new (the log resumes right above it; a stream, which has no
 * offset parameter, from version 0 with the older entries dropped here).
 */
final class SubscriptionPosition {
    private final SubscribeRequest original;
    private final EntryCursor cursor;
    private long fence = -1;
    private boolean attempted;

    SubscriptionPosition(SubscribeRequest original) {
        this.original = original;
        this.cursor = new EntryCursor(original.isLog());
    }

    boolean needsFence() {
        return original.fromEnd() && fence < 0;
    }

    /** @param commitIndex a node's commit index, taken before the first attempt */
    void fence(long commitIndex) {
        fence = Math.max(0, commitIndex);
    }

    SubscribeRequest nextRequest() {
        boolean retry = attempted;
        attempted = true;
        if (cursor.hasDelivered()) {
            return new SubscribeRequest(original.stream(), cursor.next(), false, cursor.minOffset(original.minOffset()));
        }
        if (!original.fromEnd()) {
            return original;
        }
        if (original.isLog()) {
            return new SubscribeRequest(null, fence + 1, false, original.minOffset());
        }
        return retry ? new SubscribeRequest(original.stream(), 0, false, original.minOffset()) : original;
    }

    boolean accepts(Entry entry) {
        return cursor.isNew(entry) && (!original.fromEnd() || entry.offset() > fence);
    }

    void delivered(Entry entry) {
        cursor.delivered(entry);
    }
}

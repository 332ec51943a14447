package io.eventlog.server.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer's items on their way out, bounded by bytes. An item counts from {@link #offer} until the
 * writer {@link #release}s it once the socket took it, so bytes handed to netty but not yet written
 * count too: a peer that stops reading holds at most {@code maxBytes}. Any thread offers; one
 * thread at a time takes.
 */
final class OutboundQueue {
    private final Queue<OutboundItem> items = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;

    OutboundQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Queues the item, or returns false if it does not fit under the bound. */
    boolean offer(OutboundItem item) {
        long current;
        do {
            current = bytes.get();
            if (current + item.size() > maxBytes) {
                return false;
            }
        } while (!bytes.compareAndSet(current, current + item.size()));
        items.add(item);
        return true;
    }

    /** Takes the items at the head, at least one if any, until the next would pass {@code maxBatchBytes}. */
    List<OutboundItem> takeBatch(long maxBatchBytes) {
        List<OutboundItem> batch = new ArrayList<>();
        long batchBytes = 0;
        OutboundItem next;
        while ((next = items.peek()) != null && (batch.isEmpty() || batchBytes + next.size() <= maxBatchBytes)) {
            batch.add(items.poll());
            batchBytes += next.size();
        }
        return batch;
    }

    /** Written (or failed): the bytes no longer count. */
    void release(long written) {
        bytes.addAndGet(-written);
    }

    /** Drops everything not yet taken. */
    void clear() {
        OutboundItem item;
        while ((item = items.poll()) != null) {
            bytes.addAndGet(-item.size());
        }
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }
}

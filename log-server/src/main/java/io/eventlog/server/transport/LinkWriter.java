package io.eventlog.server.transport;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains a peer's queue into one connection, on that connection's event loop: one batch in flight
 * at a time, and whatever queued up meanwhile goes out as the next batch, written in as few frames
 * as possible with one flush.
 */
final class LinkWriter {
    private final Channel channel;
    private final OutboundQueue queue;
    private final int maxFrameLength;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** A batch is being written; touched on the event loop only. */
    private boolean writing;

    LinkWriter(Channel channel, OutboundQueue queue, int maxFrameLength) {
        this.channel = channel;
        this.queue = queue;
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * From any thread: make sure a drain runs after this call. On the connection's own loop (a
     * cluster member's Raft thread) it drains at once, so that the leader's messages are on the
     * wire before it goes on to write (and sync) the same entries itself.
     */
    void scheduleDrain() {
        if (channel.eventLoop().inEventLoop()) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the transport is closing: nothing will be written any more
            }
        }
    }

    boolean isActive() {
        return channel.isActive();
    }

    void close() {
        channel.close();
    }

    private void drain() {
        drainScheduled.set(false);
        if (writing || !channel.isActive()) {
            return;
        }
        List<OutboundItem> batch = queue.takeBatch(maxFrameLength);
        if (batch.isEmpty()) {
            return;
        }
        long bytes = batch.stream().mapToLong(OutboundItem::size).sum();
        writing = true;
        BatchWriter.writeAndFlush(channel, batch, maxFrameLength).addListener(written -> {
            writing = false;
            queue.release(bytes);
            if (!written.isSuccess()) {
                channel.close();
            } else if (!queue.isEmpty()) {
                drain();
            }
        });
    }
}

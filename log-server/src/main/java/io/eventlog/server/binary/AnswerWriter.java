package io.eventlog.server.binary;

import io.eventlog.binary.Frame;
import io.eventlog.binary.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The frames a binary connection sends, from any thread, in the order given: queued, then encoded
 * and written on the channel's event loop, one flush per burst. Straight to the channel, because
 * a Reactor sink plus reactor-netty's send queue cost two queues and a chain of operators per answer.
 * Like that sink it does not bound what it holds: the connection's requests in flight and its
 * subscriptions' credit do.
 */
final class AnswerWriter {
    private final Channel channel;
    private final Queue<Frame> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Sinks.Empty<Void> finished = Sinks.empty();
    private volatile boolean closing;

    AnswerWriter(Channel channel) {
        this.channel = channel;
    }

    void send(Frame frame) {
        queued.add(frame);
        scheduleDrain();
    }

    /** Sends nothing more once what is queued is written and flushed; then {@link #finished()} completes. */
    void close() {
        closing = true;
        scheduleDrain();
    }

    /** Completes once closed and flushed. */
    Mono<Void> finished() {
        return finished.asMono();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                finished.tryEmitEmpty(); // the server has stopped: nothing can be sent any more
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        Frame frame;
        while ((frame = queued.poll()) != null) {
            ByteBuf buffer = channel.alloc().buffer();
            FrameCodec.encode(frame, buffer);
            channel.write(buffer, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (closing && queued.isEmpty()) {
            finished.tryEmitEmpty();
        }
    }
}

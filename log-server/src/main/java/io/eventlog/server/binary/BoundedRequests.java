package io.eventlog.server.binary;

import io.eventlog.binary.Frame;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs each request of a connection as it arrives, with at most {@code limit} unfinished at once:
 * past the limit it asks the inbound frames for nothing more, so reactor-netty stops reading and
 * TCP holds the client back. What {@code flatMap(handler, limit)} does, without its cost: flatMap
 * scans all its inner subscribers whenever one completes, hundreds of them per append here.
 */
final class BoundedRequests extends BaseSubscriber<Frame> {
    private final int limit;
    private final BiConsumer<Frame, Runnable> handler;
    private final MonoSink<Void> done;
    /** Requests not finished, plus one while the inbound has not ended. */
    private final AtomicInteger unfinished = new AtomicInteger(1);
    /** Frames to ask for once the caller requesting now is done: requests finish on many threads, request() is serial. */
    private final AtomicInteger owed = new AtomicInteger();

    private BoundedRequests(int limit, BiConsumer<Frame, Runnable> handler, MonoSink<Void> done) {
        this.limit = limit;
        this.handler = handler;
        this.done = done;
    }

    /**
     * Completes once the frames have ended and every request has finished; cancelling it stops
     * reading the frames (the requests still running finish on their own). The handler starts a
     * request and runs the {@code Runnable} it is given, once, when it has finished.
     */
    static Mono<Void> run(Flux<Frame> frames, int limit, BiConsumer<Frame, Runnable> handler) {
        return Mono.create(sink -> {
            BoundedRequests requests = new BoundedRequests(limit, handler, sink);
            sink.onCancel(requests);
            frames.subscribe(requests);
        });
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(limit);
    }

    @Override
    protected void hookOnNext(Frame frame) {
        unfinished.incrementAndGet();
        handler.accept(frame, this::finishOne);
    }

    private void finishOne() {
        if (unfinished.decrementAndGet() == 0) {
            done.success();
        } else if (owed.getAndIncrement() == 0) {
            int asked;
            do {
                asked = owed.get();
                request(asked);
            } while (owed.addAndGet(-asked) != 0);
        }
    }

    @Override
    protected void hookOnComplete() {
        if (unfinished.decrementAndGet() == 0) {
            done.success();
        }
    }

    @Override
    protected void hookOnError(Throwable error) {
        done.error(error);
    }
}

package io.eventlog.server.projection;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/** Callers waiting for a projection to reflect an offset (read-your-writes after an append). */
final class OffsetWaiters<S> {
    private record Waiter<S>(long offset, MonoSink<FoldedState<S>> sink) {
    }

    private final ConcurrentLinkedQueue<Waiter<S>> waiting = new ConcurrentLinkedQueue<>();
    private volatile Throwable stopped;

    /** Completes with the state once it reflects {@code offset}, or fails once the projection stops. */
    Mono<FoldedState<S>> await(long offset, Supplier<FoldedState<S>> current) {
        return Mono.create(sink -> {
            Waiter<S> waiter = new Waiter<>(offset, sink);
            waiting.add(waiter);
            sink.onDispose(() -> waiting.remove(waiter));
            // Checked after registering: a state or a stop that came meanwhile is not missed.
            FoldedState<S> now = current.get();
            if (now.offset() >= offset) {
                sink.success(now);
            } else if (stopped != null) {
                sink.error(stopped);
            }
        });
    }

    /** Called after each entry the projection has gone past. */
    void reached(FoldedState<S> folded) {
        if (!waiting.isEmpty()) {
            waiting.removeIf(waiter -> {
                if (waiter.offset() > folded.offset()) {
                    return false;
                }
                waiter.sink().success(folded);
                return true;
            });
        }
    }

    /** Fails every waiter, now and later. */
    void stop(Throwable why) {
        stopped = why;
        Waiter<S> waiter;
        while ((waiter = waiting.poll()) != null) {
            waiter.sink().error(why);
        }
    }
}

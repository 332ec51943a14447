package io.eventlog.client.failover;

import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * One request under a {@link RetryPolicy}: subscribes to it, and again after a backoff when it fails
 * with what may be retried, until it succeeds, the attempts run out or the deadline passes. What
 * {@code retryWhen} does, at the cost of one subscriber per attempt: requests are rarely retried,
 * and this runs for every append.
 */
final class Attempts<T> {
    private final Mono<T> request;
    private final RetryPolicy policy;
    private final MonoSink<T> sink;
    private final long giveUpAtNanos;
    /** The attempt running or the backoff waiting; once the caller cancels, whatever is put here is disposed. */
    private final Disposable.Swap current = Disposables.swap();
    private int made;

    private Attempts(Mono<T> request, RetryPolicy policy, MonoSink<T> sink) {
        this.request = request;
        this.policy = policy;
        this.sink = sink;
        this.giveUpAtNanos = System.nanoTime() + policy.deadline().toNanos();
    }

    static <T> Mono<T> of(Mono<T> request, RetryPolicy policy) {
        return Mono.create(sink -> {
            Attempts<T> attempts = new Attempts<>(request, policy, sink);
            sink.onCancel(attempts.current);
            attempts.attempt();
        });
    }

    private void attempt() {
        made++;
        BaseSubscriber<T> attempt = new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(T value) {
                sink.success(value);
            }

            @Override
            protected void hookOnComplete() {
                sink.success();
            }

            @Override
            protected void hookOnError(Throwable failure) {
                failed(failure);
            }
        };
        current.replace(attempt); // before subscribing: a failure's backoff replaces it, never the other way
        request.subscribe(attempt);
    }

    private void failed(Throwable failure) {
        if (!RetryPolicy.retryable(failure) || made >= policy.maxAttempts() || System.nanoTime() - giveUpAtNanos >= 0) {
            sink.error(failure);
            return;
        }
        current.replace(Schedulers.parallel().schedule(this::attempt, policy.backoff(made).toNanos(),
                TimeUnit.NANOSECONDS));
    }
}

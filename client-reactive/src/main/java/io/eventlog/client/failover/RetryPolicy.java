package io.eventlog.client.failover;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * When a failed request is tried again: only failures that may turn out differently elsewhere or
 * later (a lost connection, no leader, a timeout, a redirect to the leader), with exponential
 * backoff between {@code minBackoff} and {@code maxBackoff} (with jitter), at most
 * {@code maxAttempts} attempts, and for a single request no new attempt after {@code deadline}.
 *
 * @param minBackoff  the first wait
 * @param maxBackoff  the longest wait
 * @param maxAttempts attempts in all, the first included; for a subscription or a read, attempts
 *                    in a row without an entry delivered
 * @param deadline    no retry of an append starts this long after its first attempt
 */
public record RetryPolicy(Duration minBackoff, Duration maxBackoff, int maxAttempts, Duration deadline) {

    public RetryPolicy {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "backoff needs 0 <= min <= max");
        }
        if (maxAttempts < 1) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "maxAttempts is >= 1, was " + maxAttempts);
        }
    }

    /** Whether a failure may be retried. */
    public static boolean retryable(Throwable failure) {
        return failure instanceof EventLogException e && (e.code().retryable() || e.code() == ErrorCode.NOT_LEADER);
    }

    /** The request, retried by this policy; each subscription to the result gets its own deadline. */
    public <T> Mono<T> retrying(Mono<T> request) {
        return Attempts.of(request, this);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): {@code minBackoff} doubled per
     * retry, at most {@code maxBackoff}, with up to half of it added or taken at random (so that
     * clients failed by the same event do not retry in step), never below {@code minBackoff}.
     */
    public Duration backoff(int retry) {
        long min = minBackoff.toNanos();
        long base = min << Math.min(retry - 1, 30);
        if (base < 0 || base > maxBackoff.toNanos()) {
            base = maxBackoff.toNanos();
        }
        long jitter = (long) ((ThreadLocalRandom.current().nextDouble() - 0.5) * base);
        return Duration.ofNanos(Math.max(min, Math.min(maxBackoff.toNanos(), base + jitter)));
    }

    /**
     * A stream of entries, retried by this policy whenever it fails; the count of attempts starts
     * again once an entry got through, so a long subscription survives any number of failovers.
     */
    public <T> Flux<T> resuming(Flux<T> entries) {
        return entries.retryWhen(backoff(true).filter(RetryPolicy::retryable));
    }

    private RetryBackoffSpec backoff(boolean transientErrors) {
        return Retry.backoff(maxAttempts - 1, minBackoff)
                .maxBackoff(maxBackoff)
                .transientErrors(transientErrors)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }
}

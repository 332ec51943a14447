package io.eventlog.client.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.WrongExpectedVersionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RetryPolicyTest {
    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void retriesOnlyWhatAnotherAttemptCouldChange() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.NO_LEADER, ErrorCode.TIMEOUT, ErrorCode.UNAVAILABLE,
                ErrorCode.NOT_LEADER}) {
            assertTrue(RetryPolicy.retryable(new EventLogException(code, "x")), code.name());
        }
        for (ErrorCode code : new ErrorCode[] {ErrorCode.INVALID_JSON, ErrorCode.TOO_LARGE, ErrorCode.OFFSET_EXPIRED,
                ErrorCode.INTERNAL, ErrorCode.INVALID_STREAM}) {
            assertFalse(RetryPolicy.retryable(new EventLogException(code, "x")), code.name());
        }
        assertFalse(RetryPolicy.retryable(new WrongExpectedVersionException("s", 1, 2)));
        assertFalse(RetryPolicy.retryable(new StreamNotFoundException("s")));
        assertFalse(RetryPolicy.retryable(new IllegalStateException("a bug")));
    }

    @Test
    void aRequestIsAttemptedAtMostMaxAttemptsTimesAndFailsWithTheLastError() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> Mono.error(new EventLogException(ErrorCode.NO_LEADER,
                "attempt " + attempts.incrementAndGet())));
        StepVerifier.create(new RetryPolicy(MS, MS, 4, Duration.ofMinutes(1)).retrying(failing))
                .expectErrorMessage("attempt 4")
                .verify(Duration.ofSeconds(10));
        assertEquals(4, attempts.get());
    }

    @Test
    void noRetryStartsAfterTheDeadline() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new EventLogException(ErrorCode.TIMEOUT, "slow"));
        });
        StepVerifier.create(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(20), 1_000_000,
                        Duration.ofMillis(200)).retrying(failing))
                .expectError(EventLogException.class)
                .verify(Duration.ofSeconds(30));
        assertTrue(attempts.get() > 1 && attempts.get() < 1_000_000, "attempts: " + attempts.get());
    }

    @Test
    void aStreamThatKeepsDeliveringIsResumedAnyNumberOfTimes() {
        AtomicInteger attempts = new AtomicInteger();
        // Each attempt delivers one entry and then fails, six times; then the stream ends.
        Flux<Integer> flaky = Flux.defer(() -> {
            int attempt = attempts.incrementAndGet();
            return attempt <= 6
                    ? Flux.just(attempt).concatWith(Flux.error(new EventLogException(ErrorCode.UNAVAILABLE, "lost")))
                    : Flux.empty();
        });
        StepVerifier.create(new RetryPolicy(MS, MS, 2, Duration.ofMinutes(1)).resuming(flaky))
                .expectNext(1, 2, 3, 4, 5, 6)
                .verifyComplete();
    }
}

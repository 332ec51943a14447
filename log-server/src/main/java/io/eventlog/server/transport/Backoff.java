package io.eventlog.server.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnection delays: doubling from the initial delay up to the maximum, each drawn at random
 * from its upper half so that nodes restarting together do not reconnect in lockstep.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private long nextNanos;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = initialNanos;
    }

    long nextDelayNanos() {
        long delay = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    void reset() {
        nextNanos = initialNanos;
    }

    long maxNanos() {
        return maxNanos;
    }
}

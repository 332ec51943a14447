package io.eventlog.server.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * How long, and for how many appends, a node remembers an Idempotency-Key: a key is forgotten once its
 * append is older than {@code window} (by entry timestamps) or once {@code maxKeys} newer keyed appends
 * are remembered, whichever comes first. The count bounds the node's memory (and its checkpoints) when
 * keyed appends arrive fast: the Java client keys every append, and 10 minutes at 40,000 appends/s would
 * be 24 million keys.
 *
 * @param window  how long a key is remembered at most; default 10 minutes
 * @param maxKeys how many keys are remembered at most, the newest; default 2,000,000
 */
public record IdempotencyLimits(Duration window, int maxKeys) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_KEYS = 2_000_000;
    /** The ring and table of {@link IdempotencyWindow} must stay within Java's array sizes. */
    public static final int MAX_KEYS_LIMIT = 1 << 28;

    public IdempotencyLimits {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the idempotency window must be >= 0, was " + window);
        }
        if (maxKeys < 1 || maxKeys > MAX_KEYS_LIMIT) {
            throw new IllegalArgumentException("the most Idempotency-Keys remembered (max keys) must be 1 to "
                    + MAX_KEYS_LIMIT + ", was " + maxKeys);
        }
    }

    public static IdempotencyLimits defaults() {
        return new IdempotencyLimits(DEFAULT_WINDOW, DEFAULT_MAX_KEYS);
    }

    public IdempotencyLimits withWindow(Duration value) {
        return new IdempotencyLimits(value, maxKeys);
    }

    public IdempotencyLimits withMaxKeys(int value) {
        return new IdempotencyLimits(window, value);
    }
}

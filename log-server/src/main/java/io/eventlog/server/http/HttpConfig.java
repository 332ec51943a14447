package io.eventlog.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP API's settings and limits, with documented defaults ({@link #defaults()}).
 *
 * @param host               address to bind; default {@code 0.0.0.0}
 * @param port               port to bind, 0 for an ephemeral one; default 7070
 * @param maxBodyBytes       largest request body, counted as it arrives (chunked too); more is 413
 *                           {@code too_large} and the connection is closed; default 1 MiB
 * @param maxBatchEvents     most events in one NDJSON batch; more is 413 {@code too_large}; default 10,000
 * @param defaultReadLimit   entries a read returns without {@code limit}; default 1000
 * @param maxReadLimit       cap on {@code limit}: larger values are lowered to it; default 10,000
 * @param maxSubscribers     most live subscriptions at once over HTTP; one more is answered 429
 *                           {@code too_many_subscribers}; default 1000
 * @param heartbeatInterval  an SSE subscription idle this long gets a comment line; default 15 s
 * @param idleTimeout        a keep-alive connection with no request in flight is closed after this; default 60 s
 * @param requestReadTimeout a request must arrive whole (headers and body) within this from its first
 *                           byte, or the connection is closed (408 when the headers are incomplete); default 10 s
 */
public record HttpConfig(String host, int port, long maxBodyBytes, int maxBatchEvents, int defaultReadLimit,
                         int maxReadLimit, int maxSubscribers, Duration heartbeatInterval, Duration idleTimeout,
                         Duration requestReadTimeout) {
    public static final int DEFAULT_PORT = 7070;

    public HttpConfig {
        Objects.requireNonNull(host, "host");
        requireRange("port", port, 0, 65535);
        requireRange("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE - 16);
        requireRange("maxBatchEvents", maxBatchEvents, 1, Integer.MAX_VALUE);
        requireRange("maxReadLimit", maxReadLimit, 1, Integer.MAX_VALUE);
        requireRange("defaultReadLimit", defaultReadLimit, 1, maxReadLimit);
        requireRange("maxSubscribers", maxSubscribers, 0, Integer.MAX_VALUE);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("requestReadTimeout", requestReadTimeout);
    }

    public static HttpConfig defaults() {
        return new HttpConfig("0.0.0.0", DEFAULT_PORT, 1024 * 1024, 10_000, 1000, 10_000, 1000,
                Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public HttpConfig withHost(String value) {
        return new HttpConfig(value, port, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withPort(int value) {
        return new HttpConfig(host, value, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withMaxBodyBytes(long value) {
        return new HttpConfig(host, port, value, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withMaxBatchEvents(int value) {
        return new HttpConfig(host, port, maxBodyBytes, value, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withReadLimits(int defaultLimit, int maxLimit) {
        return new HttpConfig(host, port, maxBodyBytes, maxBatchEvents, defaultLimit, maxLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withMaxSubscribers(int value) {
        return new HttpConfig(host, port, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                value, heartbeatInterval, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withHeartbeatInterval(Duration value) {
        return new HttpConfig(host, port, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, value, idleTimeout, requestReadTimeout);
    }

    public HttpConfig withIdleTimeout(Duration value) {
        return new HttpConfig(host, port, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, value, requestReadTimeout);
    }

    public HttpConfig withRequestReadTimeout(Duration value) {
        return new HttpConfig(host, port, maxBodyBytes, maxBatchEvents, defaultReadLimit, maxReadLimit,
                maxSubscribers, heartbeatInterval, idleTimeout, value);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}

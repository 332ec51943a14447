package io.eventlog.server.binary;

import java.time.Duration;

/**
 * The binary protocol's listener and its per-connection bounds.
 *
 * @param host              address to bind
 * @param port              port to bind (0 for any free one)
 * @param maxFrameBytes     largest frame accepted; a longer one closes the connection
 * @param maxInFlight       appends and reads a connection may have unanswered; past it the server stops reading
 *                          the connection (TCP then holds the client back)
 * @param maxSubscriptions  live subscriptions one connection may hold; one more is answered {@code too_many_subscribers}
 * @param maxBatchEvents    most events in one append; more is {@code too_large}
 * @param heartbeatInterval how often a HEARTBEAT goes to every client, so that a client hearing nothing
 *                          for a few intervals knows the connection is gone
 */
public record BinaryConfig(String host, int port, int maxFrameBytes, int maxInFlight, int maxSubscriptions,
                           int maxBatchEvents, Duration heartbeatInterval) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1000;
    /** A third of the client's default silence limit (BinaryConnection.DEFAULT_SILENCE_LIMIT). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    public BinaryConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the binary port is 0 to 65535, was " + port);
        }
        if (maxFrameBytes < 1024 || maxInFlight < 1 || maxSubscriptions < 0 || maxBatchEvents < 1
                || heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("binary protocol bounds out of range: " + this);
        }
    }

    /** Frames as large as the HTTP body limit allows, plus room for the frame's own fields. */
    public static BinaryConfig of(String host, int port, long maxBodyBytes, int maxBatchEvents) {
        return new BinaryConfig(host, port, (int) Math.min(Integer.MAX_VALUE, maxBodyBytes + 64 * 1024),
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_SUBSCRIPTIONS, maxBatchEvents, DEFAULT_HEARTBEAT_INTERVAL);
    }

    public BinaryConfig withHeartbeatInterval(Duration value) {
        return new BinaryConfig(host, port, maxFrameBytes, maxInFlight, maxSubscriptions, maxBatchEvents, value);
    }
}

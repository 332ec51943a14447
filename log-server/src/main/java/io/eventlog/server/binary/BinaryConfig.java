package io.eventlog.server.binary;

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
 */
public record BinaryConfig(String host, int port, int maxFrameBytes, int maxInFlight, int maxSubscriptions,
                           int maxBatchEvents) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1000;

    public BinaryConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the binary port is 0 to 65535, was " + port);
        }
        if (maxFrameBytes < 1024 || maxInFlight < 1 || maxSubscriptions < 0 || maxBatchEvents < 1) {
            throw new IllegalArgumentException("binary protocol bounds out of range: " + this);
        }
    }

    /** Frames as large as the HTTP body limit allows, plus room for the frame's own fields. */
    public static BinaryConfig of(String host, int port, long maxBodyBytes, int maxBatchEvents) {
        return new BinaryConfig(host, port, (int) Math.min(Integer.MAX_VALUE, maxBodyBytes + 64 * 1024),
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_SUBSCRIPTIONS, maxBatchEvents);
    }
}

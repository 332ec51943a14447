package io.eventlog.server.transport;

import java.time.Duration;

/**
 * Settings of the node-to-node transport. {@link #defaults()} suits the Raft core's defaults (1 MiB
 * AppendRequests and snapshot chunks); {@link #builder()} changes what tests and the driver tune.
 *
 * @param maxFrameLength            largest frame accepted or sent, counted after the length field;
 *                                  a peer's larger frame closes its connection; default 16 MiB
 * @param maxQueuedBytesPerPeer     bytes of messages waiting for (or being written to) one peer; past
 *                                  it new messages to that peer are dropped; default 64 MiB
 * @param reconnectInitialDelay     first delay before reconnecting, doubled after each failure; default 50 ms
 * @param reconnectMaxDelay         cap of the reconnect delay; default 2 s
 * @param connectTimeout            a connection attempt not answered within this fails; default 2 s
 * @param unreachableReportInterval a peer is reported unreachable at most once per this; default 100 ms
 * @param ioThreads                 event loop threads (epoll where available); default 2
 */
public record TransportConfig(int maxFrameLength, long maxQueuedBytesPerPeer, Duration reconnectInitialDelay,
                              Duration reconnectMaxDelay, Duration connectTimeout,
                              Duration unreachableReportInterval, int ioThreads) {
    /** Room for the largest HELLO with some to spare. */
    static final int MIN_FRAME_LENGTH = 4096;

    public TransportConfig {
        if (maxFrameLength < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be at least " + MIN_FRAME_LENGTH);
        }
        if (maxQueuedBytesPerPeer <= 0 || ioThreads <= 0) {
            throw new IllegalArgumentException("maxQueuedBytesPerPeer and ioThreads must be positive");
        }
        requirePositive("reconnectInitialDelay", reconnectInitialDelay);
        requirePositive("reconnectMaxDelay", reconnectMaxDelay);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("unreachableReportInterval", unreachableReportInterval);
        if (reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay must not be below reconnectInitialDelay");
        }
    }

    public static TransportConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }

    /** Fluent builder starting from the defaults. */
    public static final class Builder {
        private int maxFrameLength = 16 << 20;
        private long maxQueuedBytesPerPeer = 64L << 20;
        private Duration reconnectInitialDelay = Duration.ofMillis(50);
        private Duration reconnectMaxDelay = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration unreachableReportInterval = Duration.ofMillis(100);
        private int ioThreads = 2;

        private Builder() {
        }

        public Builder maxFrameLength(int value) {
            maxFrameLength = value;
            return this;
        }

        public Builder maxQueuedBytesPerPeer(long value) {
            maxQueuedBytesPerPeer = value;
            return this;
        }

        public Builder reconnectDelays(Duration initial, Duration max) {
            reconnectInitialDelay = initial;
            reconnectMaxDelay = max;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(maxFrameLength, maxQueuedBytesPerPeer, reconnectInitialDelay,
                    reconnectMaxDelay, connectTimeout, unreachableReportInterval, ioThreads);
        }
    }
}

package io.eventlog.server.transport;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the driver a peer is unreachable, at most once per interval per peer: a full queue or a
 * missing connection would otherwise report on every message. Called from any thread.
 */
final class UnreachableReporter {
    private static final Logger log = LoggerFactory.getLogger(UnreachableReporter.class);

    private final LongConsumer onUnreachable;
    private final long intervalNanos;
    private final Map<Long, AtomicLong> lastReportNanos = new ConcurrentHashMap<>();

    UnreachableReporter(LongConsumer onUnreachable, Duration interval) {
        this.onUnreachable = onUnreachable;
        this.intervalNanos = interval.toNanos();
    }

    void report(long peerId) {
        long now = System.nanoTime();
        AtomicLong last = lastReportNanos.computeIfAbsent(peerId, id -> new AtomicLong(now - intervalNanos));
        long previous = last.get();
        if (now - previous >= intervalNanos && last.compareAndSet(previous, now)) {
            try {
                onUnreachable.accept(peerId);
            } catch (RuntimeException e) {
                log.error("onUnreachable callback failed for node {}", peerId, e);
            }
        }
    }

    void forget(long peerId) {
        lastReportNanos.remove(peerId);
    }
}

package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.concurrent.atomic.AtomicInteger;

/** Bounds the live subscriptions served at once; one more is 429 {@code too_many_subscribers}. */
final class SubscriberGate {
    private final int max;
    private final AtomicInteger active = new AtomicInteger();

    SubscriberGate(int max) {
        this.max = max;
    }

    /** Takes a place or throws; a caller that got a place must {@link #release()} it exactly once. */
    void acquire() {
        int now;
        do {
            now = active.get();
            if (now >= max) {
                throw new EventLogException(ErrorCode.TOO_MANY_SUBSCRIBERS,
                        "this node serves at most " + max + " subscriptions at once; retry later or elsewhere");
            }
        } while (!active.compareAndSet(now, now + 1));
    }

    void release() {
        active.decrementAndGet();
    }

    int active() {
        return active.get();
    }
}

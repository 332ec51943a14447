package io.eventlog.server.subscribe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed offset (the highest offset readers may see) and the readers waiting for it to move.
 * The writer publishes after each group commit; listeners must only schedule work, never do it.
 */
public final class CommitNotifier {
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private volatile long committedOffset;

    public CommitNotifier(long committedOffset) {
        this.committedOffset = committedOffset;
    }

    public long committedOffset() {
        return committedOffset;
    }

    public void publish(long offset) {
        committedOffset = offset;
        listeners.forEach(Runnable::run);
    }

    /**
     * Calls every listener without a new commit: retention deleted files, and a paused reader
     * standing in one must let it go (its next look finds its position expired).
     */
    public void wake() {
        listeners.forEach(Runnable::run);
    }

    /** Calls {@code listener} after every publish until the returned handle is closed. */
    public AutoCloseable register(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}

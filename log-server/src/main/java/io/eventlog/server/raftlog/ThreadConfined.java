package io.eventlog.server.raftlog;

import io.eventlog.server.storage.ThreadBound;
import java.util.function.Supplier;

/**
 * A Chronicle appender or tailer made on first use, by the thread that uses it (the Raft thread), and
 * re-bound if another thread takes over (a driver that builds its node on one thread and runs it on
 * another). Not for concurrent use.
 */
final class ThreadConfined<T extends ThreadBound> implements AutoCloseable {
    private final Supplier<T> factory;
    private T resource;
    private Thread owner;

    ThreadConfined(Supplier<T> factory) {
        this.factory = factory;
    }

    T get() {
        Thread current = Thread.currentThread();
        if (resource == null) {
            resource = factory.get();
        } else if (owner != current) {
            resource.bindToCurrentThread();
        }
        owner = current;
        return resource;
    }

    @Override
    public void close() {
        if (resource != null) {
            resource.close();
            resource = null;
        }
    }
}

package io.eventlog.server.storage;

/** A Chronicle appender or tailer wrapper: usable by one thread at a time, which it must be told about. */
public interface ThreadBound extends AutoCloseable {

    /** Lets the calling thread use this from now on. */
    void bindToCurrentThread();

    @Override
    void close();
}

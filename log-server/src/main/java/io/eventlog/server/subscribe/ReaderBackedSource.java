package io.eventlog.server.subscribe;

import io.eventlog.server.storage.LogReader;

/** An entry source that owns one reader (a Chronicle tailer) and moves it between threads safely. */
abstract class ReaderBackedSource implements EntrySource {
    protected final LogReader reader;

    ReaderBackedSource(LogReader reader) {
        this.reader = reader;
    }

    @Override
    public final void bindToCurrentThread() {
        reader.bindToCurrentThread();
    }

    @Override
    public final void close() {
        reader.close();
    }
}

package io.eventlog.server.subscribe;

import io.eventlog.server.storage.StoredRecord;

/**
 * Committed entries in order, one at a time, from a reader's own position in the log. Used from one
 * thread at a time; {@link #bindToCurrentThread()} first when the thread changes.
 */
public interface EntrySource extends AutoCloseable {

    /** The next entry at an offset ≤ {@code committedOffset}, or null when there is none yet. */
    StoredRecord next(long committedOffset);

    /**
     * Fails with {@code offset_expired} when the entry this source would serve next is no longer
     * held (retention deleted its file): the reader must then close, and let the file's space go.
     */
    void requireNextHeld();

    void bindToCurrentThread();

    @Override
    void close();
}

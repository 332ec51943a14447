package io.eventlog.server.subscribe;

import io.eventlog.server.storage.StoredRecord;

/**
 * Committed entries in order, one at a time, from a reader's own position in the log. Used from one
 * thread at a time; {@link #bindToCurrentThread()} first when the thread changes.
 */
public interface EntrySource extends AutoCloseable {

    /** The next entry at an offset ≤ {@code committedOffset}, or null when there is none yet. */
    StoredRecord next(long committedOffset);

    void bindToCurrentThread();

    @Override
    void close();
}

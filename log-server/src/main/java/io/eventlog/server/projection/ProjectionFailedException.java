package io.eventlog.server.projection;

/**
 * A projection stopped: its fold threw (or returned null) on an entry, or reading the log failed. Its
 * handle keeps the last whole state, from before that entry, and writes no more checkpoints; after a
 * fix (a new version of the fold, or of the data) a restart resumes from its newest checkpoint.
 */
public final class ProjectionFailedException extends RuntimeException {
    private final String projection;
    private final long offset;

    ProjectionFailedException(String projection, long offset, String message, Throwable cause) {
        super("projection " + projection + " stopped: " + message, cause);
        this.projection = projection;
        this.offset = offset;
    }

    public String projection() {
        return projection;
    }

    /** The offset of the entry it could not fold, or -1 when reading the log failed. */
    public long offset() {
        return offset;
    }
}

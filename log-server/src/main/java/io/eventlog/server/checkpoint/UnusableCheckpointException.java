package io.eventlog.server.checkpoint;

/** Why a checkpoint file cannot be used at start-up; the node falls back to an older one or a full replay. */
public final class UnusableCheckpointException extends Exception {

    /** What is wrong, which decides what becomes of the file. */
    public enum Reason {
        /** Damaged (checksum, format, content): kept for inspection, never loaded. */
        CORRUPT,
        /**
         * Sound, but the log does not hold the record it ends on (a log restored from an older copy, or
         * cut back past it): deleted, since entries appended from here on could make it look valid again.
         */
        NOT_IN_LOG
    }

    private final Reason reason;

    public UnusableCheckpointException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

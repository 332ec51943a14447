package io.eventlog.server.storage;

/** What a stored record is. Only {@link #EVENT} records are ever served to readers. */
public enum RecordKind {
    /** An appended event. */
    EVENT(1),
    /**
     * Written at start-up after a corrupt or torn tail was cut back: every record between the
     * last good record and this marker is dead. Its offset field holds the last good offset.
     */
    RESUME(2);

    private final byte code;

    RecordKind(int code) {
        this.code = (byte) code;
    }

    byte code() {
        return code;
    }

    static RecordKind fromCode(byte code) {
        for (RecordKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}

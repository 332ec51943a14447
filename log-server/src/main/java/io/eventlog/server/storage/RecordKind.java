package io.eventlog.server.storage;

/** What a stored record is. Only {@link #EVENT} records are ever served to readers. */
public enum RecordKind {
    /** An appended event. */
    EVENT(1),
    /**
     * Written at every start-up, after replay: every record between the last good record and this
     * marker is dead (a corrupt or torn tail, an append cut short by a crash). Its offset field holds
     * the last good offset.
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

package io.eventlog.server.storage;

/**
 * What a stored record is. Only {@link #EVENT} records are ever served to readers. A single node's log
 * holds EVENT and RESUME records; a Raft log (written by {@code io.eventlog.server.raftlog}) holds EVENT,
 * NOOP, CONFIG and TRUNCATE records.
 */
public enum RecordKind {
    /** An appended event; in a Raft log, a NORMAL entry. */
    EVENT(1),
    /**
     * Written at every start-up of a single node, after replay: every record between the last good
     * record and this marker is dead (a corrupt or torn tail, an append cut short by a crash). Its
     * offset field holds the last good offset.
     */
    RESUME(2),
    /** The no-op entry a Raft leader appends at the start of its term; empty payload. */
    NOOP(3),
    /** A Raft membership change; the payload is the whole new configuration, opaque to storage. */
    CONFIG(4),
    /**
     * A Raft log's truncation marker: every entry with an index at or above the offset field is dead,
     * and the log goes on at that index. Empty payload, except on the marker written at start-up after
     * a torn tail was cut: {@code tornFrom:i64}, the queue index where the torn tail it closes starts
     * (see {@code io.eventlog.server.raftlog.RaftLogScan}).
     */
    TRUNCATE(5);

    private final byte code;

    RecordKind(int code) {
        this.code = (byte) code;
    }

    byte code() {
        return code;
    }

    /** True for the kinds whose payload has the event layout (timestamp, version, key, body). */
    boolean hasEventPayload() {
        return this == EVENT || this == RESUME;
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

package io.eventlog.server.storage;

import io.eventlog.api.Entry;
import java.util.Map;

/**
 * One excerpt of the log as stored: an event with everything needed to serve it and to rebuild
 * the node's state by replay, or a record of another kind (a marker, a Raft no-op or configuration
 * entry), which has an empty stream and its payload as {@link #data}.
 *
 * @param term           the Raft term that ordered it (0 on a node without replication)
 * @param idempotencyKey the append's Idempotency-Key, on the last record of that append only; else null
 * @param batchCount     on the last record of an append: how many records that append wrote; else 0
 */
public record StoredRecord(RecordKind kind, long term, long offset, long timestamp, String stream, long version,
                           String type, Map<String, String> headers, byte[] data,
                           String idempotencyKey, int batchCount) {

    public static StoredRecord resumeMarker(long lastGoodOffset, long timestamp) {
        return new StoredRecord(RecordKind.RESUME, 0, lastGoodOffset, timestamp, "", -1, null, Map.of(),
                new byte[0], null, 0);
    }

    /** A record of a kind without event payload: its payload is kept as {@link #data}. */
    public static StoredRecord marker(RecordKind kind, long term, long offset, byte[] payload) {
        return new StoredRecord(kind, term, offset, 0, "", -1, null, Map.of(), payload, null, 0);
    }

    public Entry toEntry() {
        return new Entry(offset, stream, version, timestamp, type, headers, data);
    }
}

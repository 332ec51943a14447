package io.eventlog.api;

/**
 * A bounded read of committed entries: of one stream from a version, or of the global log from an offset.
 *
 * @param stream    the stream, or null for the global log
 * @param from      first version (stream) or offset (log) wanted, inclusive
 * @param limit     most entries returned
 * @param minOffset wait until this node has applied this offset before reading (read-your-writes); -1 for none
 */
public record ReadRequest(String stream, long from, int limit, long minOffset) {
    public static final int DEFAULT_LIMIT = 1000;

    public ReadRequest {
        if (stream != null) {
            StreamName.requireValid(stream);
        }
        if (from < 0) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "the start of a read is >= 0, was " + from);
        }
        if (limit < 1) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "limit is >= 1, was " + limit);
        }
    }

    public static ReadRequest stream(String stream, long fromVersion, int limit) {
        return new ReadRequest(stream, fromVersion, limit, -1);
    }

    public static ReadRequest log(long fromOffset, int limit) {
        return new ReadRequest(null, fromOffset, limit, -1);
    }

    public ReadRequest withMinOffset(long offset) {
        return new ReadRequest(stream, from, limit, offset);
    }

    public boolean isLog() {
        return stream == null;
    }
}

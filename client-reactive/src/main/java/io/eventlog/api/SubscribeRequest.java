package io.eventlog.api;

/**
 * A live subscription: catch-up history first, then live entries, with no gap and no duplicate at the seam.
 *
 * @param stream    the stream (it need not exist yet), or null for the global log
 * @param from      first version (stream) or offset (log) delivered, inclusive; ignored when {@code fromEnd}
 * @param fromEnd   start after the current end: only entries appended from now on
 * @param minOffset wait until this node has applied this offset before starting; -1 for none
 */
public record SubscribeRequest(String stream, long from, boolean fromEnd, long minOffset) {

    public SubscribeRequest {
        if (stream != null) {
            StreamName.requireValid(stream);
        }
        if (!fromEnd && from < 0) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "the start of a subscription is >= 0, was " + from);
        }
    }

    public static SubscribeRequest stream(String stream, long fromVersion) {
        return new SubscribeRequest(stream, fromVersion, false, -1);
    }

    public static SubscribeRequest streamFromEnd(String stream) {
        return new SubscribeRequest(stream, 0, true, -1);
    }

    public static SubscribeRequest log(long fromOffset) {
        return new SubscribeRequest(null, fromOffset, false, -1);
    }

    public static SubscribeRequest logFromEnd() {
        return new SubscribeRequest(null, 0, true, -1);
    }

    public SubscribeRequest withMinOffset(long offset) {
        return new SubscribeRequest(stream, from, fromEnd, offset);
    }

    public boolean isLog() {
        return stream == null;
    }
}

package io.eventlog.server.testing.history;

/**
 * An entry as a history records it: where it is and which payload it holds (the unique id its writer put
 * in its data), without the rest of the data.
 *
 * @param offset  its offset in the global log
 * @param stream  its stream
 * @param version its version in the stream
 * @param payload the unique id of the append that wrote it
 */
public record EntryRef(long offset, String stream, long version, String payload) {

    /** Its position in a subscription: the offset in the global log, the version in a stream. */
    public long position(boolean inStream) {
        return inStream ? version : offset;
    }

    @Override
    public String toString() {
        return payload + "@" + offset + " (" + stream + " v" + version + ")";
    }
}

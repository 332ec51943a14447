package io.eventlog.server.http;

import io.eventlog.api.Entry;
import io.eventlog.wire.EntryCodec;
import io.eventlog.wire.ErrorBody;
import io.eventlog.wire.JsonOut;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events: each entry is {@code id: <version or offset>}, {@code event: entry},
 * {@code data: <entry JSON>} and a blank line. The entry JSON is always one line (see
 * {@link EntryCodec}), so one {@code data:} line carries it. A failure ends the stream with an
 * {@code event: error} whose data is the error body; the heartbeat is a comment line.
 */
final class SseEncoder implements EntryEncoder {
    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean idIsOffset;

    /** @param idIsOffset true for the global log (id = offset), false for a stream (id = version) */
    SseEncoder(boolean idIsOffset) {
        this.idIsOffset = idIsOffset;
    }

    @Override
    public String contentType() {
        return MediaTypes.EVENT_STREAM;
    }

    @Override
    public byte[] entry(Entry entry) {
        JsonOut out = new JsonOut(entry.data().length + 192);
        out.ascii("id: ").number(idIsOffset ? entry.offset() : entry.version());
        out.ascii("\nevent: entry\ndata: ");
        EntryCodec.encode(entry, out);
        return out.ascii("\n\n").toByteArray();
    }

    @Override
    public byte[] error(ErrorBody error) {
        return new JsonOut().ascii("event: error\ndata: ").raw(error.encode()).ascii("\n\n").toByteArray();
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT.clone();
    }
}

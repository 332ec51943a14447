package io.eventlog.server.http;

import io.eventlog.api.Entry;
import io.eventlog.wire.EntryCodec;
import io.eventlog.wire.ErrorBody;
import io.eventlog.wire.JsonOut;

/** NDJSON: one entry JSON per line; a failure ends the stream with one error-body line. */
final class NdjsonEncoder implements EntryEncoder {
    static final NdjsonEncoder INSTANCE = new NdjsonEncoder();

    @Override
    public String contentType() {
        return MediaTypes.NDJSON;
    }

    @Override
    public byte[] entry(Entry entry) {
        JsonOut out = new JsonOut(entry.data().length + 160);
        EntryCodec.encode(entry, out);
        return out.raw('\n').toByteArray();
    }

    @Override
    public byte[] error(ErrorBody error) {
        return new JsonOut().raw(error.encode()).raw('\n').toByteArray();
    }

    @Override
    public byte[] heartbeat() {
        return null;
    }
}

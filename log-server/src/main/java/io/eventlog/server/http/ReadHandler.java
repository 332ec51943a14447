package io.eventlog.server.http;

import io.eventlog.api.Entry;
import io.eventlog.api.EventLog;
import io.eventlog.api.ReadRequest;
import io.eventlog.wire.EntryCodec;
import io.eventlog.wire.JsonOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /v1/streams/{stream}} and {@code GET /v1/log}: a JSON array (default) or NDJSON.
 * The status waits for the read's first signal, so an unknown stream is a clean 404; after that
 * the entries are streamed as they come, with backpressure.
 */
final class ReadHandler implements Router.Handler {
    /** Entries are written in chunks of about this many bytes. */
    private static final int CHUNK_BYTES = 16 * 1024;

    private final EventLog log;
    private final ReadRequestParser parser;
    private final ErrorResponder errors;

    ReadHandler(EventLog log, HttpConfig config, ErrorResponder errors) {
        this.log = log;
        this.parser = new ReadRequestParser(config);
        this.errors = errors;
    }

    @Override
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, String stream) {
        return Mono.defer(() -> {
            ReadRequest read = parser.read(stream, QueryParams.of(request.uri()));
            boolean ndjson = MediaTypes.preferred(request.requestHeaders().get(HttpHeaderNames.ACCEPT),
                    List.of(MediaTypes.JSON, MediaTypes.NDJSON), MediaTypes.JSON).equals(MediaTypes.NDJSON);
            Flux<Entry> entries = log.read(read).take(read.limit());
            return entries.switchOnFirst((first, all) -> first.hasError()
                    ? Mono.<Void>error(first.getThrowable())
                    : response.header(HttpHeaderNames.CONTENT_TYPE, ndjson ? MediaTypes.NDJSON : MediaTypes.JSON)
                            .send(chunks(all, ndjson))
                            .then())
                    .then();
        }).onErrorResume(e -> errors.send(response, e, false));
    }

    /** The framed body, packed into chunks so that a large read is not one write per entry. */
    private static Flux<ByteBuf> chunks(Flux<Entry> entries, boolean ndjson) {
        Flux<byte[]> frames = entries.index().map(indexed -> {
            JsonOut out = new JsonOut(indexed.getT2().data().length + 160);
            if (!ndjson) {
                out.raw(indexed.getT1() == 0 ? '[' : ',');
            }
            EntryCodec.encode(indexed.getT2(), out);
            return ndjson ? out.raw('\n').toByteArray() : out.toByteArray();
        });
        if (!ndjson) {
            frames = frames.switchIfEmpty(Mono.just(new byte[] {'['})).concatWithValues(new byte[] {']'});
        }
        return frames.bufferUntil(new SizeBoundary(CHUNK_BYTES)::crossed)
                .map(list -> Unpooled.wrappedBuffer(list.toArray(new byte[0][])));
    }

    /** Ends a buffer once it holds at least {@code limit} bytes. */
    private static final class SizeBoundary {
        private final int limit;
        private int size;

        SizeBoundary(int limit) {
            this.limit = limit;
        }

        boolean crossed(byte[] frame) {
            size += frame.length;
            if (size >= limit) {
                size = 0;
                return true;
            }
            return false;
        }
    }
}

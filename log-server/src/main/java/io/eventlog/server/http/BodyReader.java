package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Reads a request body into memory up to a limit. A declared Content-Length over the limit is
 * refused before any byte is read; a chunked body is counted as it arrives and reading stops at
 * the first chunk that crosses the limit (413 {@code too_large}).
 */
final class BodyReader {
    private final long maxBytes;

    BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    Mono<byte[]> read(HttpServerRequest request) {
        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && isOver(declared)) {
            return Mono.error(tooLarge());
        }
        return request.receive()
                .reduceWith(Buffer::new, this::append)
                .map(Buffer::bytes);
    }

    private boolean isOver(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Buffer append(Buffer buffer, ByteBuf chunk) {
        int readable = chunk.readableBytes();
        if ((long) buffer.size + readable > maxBytes) {
            throw tooLarge();
        }
        buffer.ensure(readable);
        chunk.getBytes(chunk.readerIndex(), buffer.bytes, buffer.size, readable);
        buffer.size += readable;
        return buffer;
    }

    private EventLogException tooLarge() {
        return new EventLogException(ErrorCode.TOO_LARGE, "the request body exceeds " + maxBytes + " bytes");
    }

    /** A growable byte array that is only touched by one request's inbound signals. */
    private static final class Buffer {
        private byte[] bytes = new byte[1024];
        private int size;

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        private byte[] bytes() {
            return Arrays.copyOf(bytes, size);
        }
    }
}

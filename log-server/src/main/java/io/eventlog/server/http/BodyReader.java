package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Reads a request body into memory up to a limit (413 {@code too_large} past it). Bytes past the
 * limit are never kept: a chunked body is counted as it arrives, and the rest of a body over the
 * limit is read and dropped (up to a bound) before the 413, so the client gets to read it.
 */
final class BodyReader {
    /** Buffer size for a body without Content-Length (chunked). */
    private static final int DEFAULT_CAPACITY = 1024;
    private static final int MAX_INITIAL_CAPACITY = 64 * 1024;

    private final long maxBytes;
    /**
     * A body over the limit is still read, and dropped, up to this many bytes before the 413 goes
     * out: closing a connection with unread input makes TCP reset it, and the client may then lose
     * the 413. Past this bound the answer goes out at once (the request read deadline bounds a slow
     * sender either way).
     */
    private final long drainBytes;

    BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
        this.drainBytes = Math.max(4 * maxBytes, 4L << 20);
    }

    Mono<byte[]> read(HttpServerRequest request) {
        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        long length = declared == null ? -1 : parseLength(declared);
        if (length > drainBytes) {
            return Mono.error(tooLarge());
        }
        if (length > maxBytes) {
            return request.receive().then(Mono.error(tooLarge()));
        }
        // Sized for the declared length, so that a body of the usual few hundred bytes is neither
        // grown nor copied again when taken; bounded, so that a declared length costs no memory
        // before its bytes arrive.
        int capacity = length > 0 ? (int) Math.min(length, MAX_INITIAL_CAPACITY) : DEFAULT_CAPACITY;
        return request.receive()
                .reduceWith(() -> new Buffer(capacity), this::append)
                .flatMap(buffer -> buffer.size > maxBytes ? Mono.error(tooLarge()) : Mono.just(buffer.bytes()));
    }

    private static long parseLength(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Copies a chunk while the body is within the limit; past it, only counts (and past the drain bound, fails). */
    private Buffer append(Buffer buffer, ByteBuf chunk) {
        int readable = chunk.readableBytes();
        long total = (long) buffer.size + readable;
        if (total > drainBytes) {
            throw tooLarge();
        }
        if (total > maxBytes) {
            buffer.size = (int) Math.min(total, Integer.MAX_VALUE);
            return buffer;
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
        private byte[] bytes;
        private int size;

        private Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        private byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}

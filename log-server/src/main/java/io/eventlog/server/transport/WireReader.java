package io.eventlog.server.transport;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads fields from a buffer that holds untrusted bytes. Every read checks what is left first and
 * names the field in its {@link MalformedFrameException}; a declared length or count is checked
 * against the bytes actually present before anything is allocated, so a huge one costs nothing.
 */
final class WireReader {
    private final ByteBuf in;

    WireReader(ByteBuf in) {
        this.in = in;
    }

    int u8(String field) {
        require(1, field);
        return in.readUnsignedByte();
    }

    long u32(String field) {
        require(4, field);
        return in.readUnsignedInt();
    }

    boolean bool(String field) {
        int value = u8(field);
        if (value > 1) {
            throw malformed(field + " must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    long varint(String field) {
        long value = 0;
        for (int i = 0; i < Varints.MAX_BYTES; i++) {
            int b = u8(field);
            if (i == Varints.MAX_BYTES - 1 && b > 1) {
                throw malformed(field + " overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed(field + " is not minimally encoded");
                }
                return value;
            }
        }
        throw new AssertionError("unreachable: the tenth byte has no continuation bit");
    }

    /** A count of elements that each take at least {@code minElementBytes}; it must fit in what is left. */
    int count(String field, int minElementBytes) {
        long count = varint(field);
        if (count < 0 || count > in.readableBytes() / minElementBytes) {
            throw malformed(field + " " + Long.toUnsignedString(count) + " cannot fit in the "
                    + in.readableBytes() + " bytes left");
        }
        return (int) count;
    }

    /** A length-prefixed byte string. */
    byte[] bytes(String field) {
        long length = varint(field + " length");
        if (length < 0 || length > in.readableBytes()) {
            throw malformed(field + " of " + Long.toUnsignedString(length) + " bytes runs past the end ("
                    + in.readableBytes() + " bytes left)");
        }
        byte[] value = new byte[(int) length];
        in.readBytes(value);
        return value;
    }

    /** A length-prefixed UTF-8 string of at most {@code maxBytes} bytes. */
    String utf8(String field, int maxBytes) {
        byte[] raw = bytes(field);
        if (raw.length > maxBytes) {
            throw malformed(field + " is " + raw.length + " bytes, more than " + maxBytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(field + " is not valid UTF-8");
        }
    }

    /** Everything left, as the last field of a frame. */
    byte[] rest() {
        byte[] value = new byte[in.readableBytes()];
        in.readBytes(value);
        return value;
    }

    void requireEnd(String what) {
        if (in.isReadable()) {
            throw malformed(in.readableBytes() + " trailing bytes after the " + what);
        }
    }

    private static MalformedFrameException malformed(String message) {
        return new MalformedFrameException(message);
    }

    private void require(int bytes, String field) {
        if (in.readableBytes() < bytes) {
            throw malformed("truncated: " + field + " needs " + bytes + " bytes, " + in.readableBytes() + " left");
        }
    }
}

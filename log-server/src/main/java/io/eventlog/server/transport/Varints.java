package io.eventlog.server.transport;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints: 7 bits per byte, lowest group first, the high bit set on every byte
 * but the last. Small values (terms, counts, lengths) take one or two bytes; any 64-bit value fits
 * in ten. Reading is in {@link WireReader}.
 */
final class Varints {
    static final int MAX_BYTES = 10;

    private Varints() {
    }

    static int size(long value) {
        return (63 - Long.numberOfLeadingZeros(value | 1)) / 7 + 1;
    }

    static void write(ByteBuf out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.writeByte((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte((int) rest);
    }
}

package io.eventlog.server.transport;

import io.netty.buffer.ByteBuf;

/**
 * Where {@link MessageCodec} writes a message's fields: into a buffer, or into a counter, so the
 * size a message will take is computed by the same code that writes it.
 */
interface WireSink {

    void u8(int value);

    void varint(long value);

    /** A length-prefixed byte string: the length as a varint, then the bytes. */
    void bytes(byte[] value);

    /** Counts the bytes the fields would take. */
    final class SizeCounter implements WireSink {
        private long size;

        long size() {
            return size;
        }

        @Override
        public void u8(int value) {
            size++;
        }

        @Override
        public void varint(long value) {
            size += Varints.size(value);
        }

        @Override
        public void bytes(byte[] value) {
            size += Varints.size(value.length) + value.length;
        }
    }

    /** Writes the fields at the buffer's writer index. */
    record Buffer(ByteBuf out) implements WireSink {
        @Override
        public void u8(int value) {
            out.writeByte(value);
        }

        @Override
        public void varint(long value) {
            Varints.write(out, value);
        }

        @Override
        public void bytes(byte[] value) {
            Varints.write(out, value.length);
            out.writeBytes(value);
        }
    }
}

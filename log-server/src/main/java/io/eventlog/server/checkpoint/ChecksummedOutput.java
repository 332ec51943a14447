package io.eventlog.server.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Writes a file's content through one buffer (little-endian numbers, unsigned LEB128 varints) and
 * ends it with a CRC32C of everything before, so content of any size streams out in constant memory.
 */
public final class ChecksummedOutput {
    private static final int VARINT_MAX_BYTES = 10;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    public ChecksummedOutput(WritableByteChannel channel) {
        this.channel = channel;
    }

    public void u8(int value) throws IOException {
        room(1).put((byte) value);
    }

    public void i32(int value) throws IOException {
        room(4).putInt(value);
    }

    public void i64(long value) throws IOException {
        room(8).putLong(value);
    }

    public void varint(long value) throws IOException {
        ByteBuffer out = room(VARINT_MAX_BYTES);
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.put((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.put((byte) rest);
    }

    /** {@code length:varint} and the bytes. */
    public void bytes(byte[] value) throws IOException {
        varint(value.length);
        int done = 0;
        while (done < value.length) {
            int part = Math.min(value.length - done, room(1).remaining());
            buffer.put(value, done, part);
            done += part;
        }
    }

    /** Writes out what is buffered, then the checksum of all of it. */
    public void finish() throws IOException {
        flush();
        buffer.putInt((int) crc.getValue()).flip();
        writeOut();
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.duplicate());
        writeOut();
    }

    private void writeOut() throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }
}

package io.eventlog.server.checkpoint;

import io.eventlog.server.checkpoint.UnusableCheckpointException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads what {@link ChecksummedOutput} wrote. The checksum is checked first, in one streaming pass,
 * so decoding never meets damaged bytes: a half-written or damaged file is refused before any of its
 * content is believed. Reading past the content is an {@link IllegalStateException}.
 */
public final class ChecksummedInput {
    private static final int CRC_LENGTH = 4;
    private static final int VARINT_MAX_BYTES = 10;

    /** Where the bytes come from: a file, or a snapshot received in memory. */
    private interface Source {
        /** Reads into {@code into} from {@code position}; returns the bytes read, -1 at the end. */
        int read(ByteBuffer into, long position) throws IOException;
    }

    private final Source channel;
    private final long contentLength;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long filePosition;

    private ChecksummedInput(Source channel, long contentLength) {
        this.channel = channel;
        this.contentLength = contentLength;
        buffer.limit(0);
    }

    /** Opens a file for reading once its checksum matches. */
    public static ChecksummedInput open(FileChannel channel) throws IOException, UnusableCheckpointException {
        return open(channel::read, channel.size());
    }

    /** Opens bytes held in memory for reading once their checksum matches. */
    static ChecksummedInput open(byte[] bytes) throws IOException, UnusableCheckpointException {
        return open((into, position) -> {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(into.remaining(), bytes.length - position);
            into.put(bytes, (int) position, n);
            return n;
        }, bytes.length);
    }

    private static ChecksummedInput open(Source channel, long size) throws IOException, UnusableCheckpointException {
        if (size < CRC_LENGTH) {
            throw new UnusableCheckpointException(Reason.CORRUPT, "it has " + size + " bytes, less than a checksum");
        }
        ChecksummedInput input = new ChecksummedInput(channel, size - CRC_LENGTH);
        input.verifyChecksum();
        return input;
    }

    private void verifyChecksum() throws IOException, UnusableCheckpointException {
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(buffer.capacity());
        for (long position = 0; position < contentLength; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), contentLength - position));
            position += readFully(chunk, position);
            crc.update(chunk.flip());
        }
        ByteBuffer stored = ByteBuffer.allocate(CRC_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        readFully(stored, contentLength);
        if (stored.getInt(0) != (int) crc.getValue()) {
            throw new UnusableCheckpointException(Reason.CORRUPT, "checksum mismatch over " + contentLength + " bytes");
        }
    }

    public int u8() throws IOException {
        return available(1).get() & 0xFF;
    }

    public int i32() throws IOException {
        return available(4).getInt();
    }

    public long i64() throws IOException {
        return available(8).getLong();
    }

    public long varint() throws IOException {
        ByteBuffer in = available((int) Math.min(VARINT_MAX_BYTES, contentLength - consumed()));
        long value = 0;
        for (int shift = 0; shift < 7 * VARINT_MAX_BYTES && in.hasRemaining(); shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("a varint longer than " + VARINT_MAX_BYTES + " bytes or past the end");
    }

    /** {@code length:varint} and that many bytes. */
    public byte[] bytes() throws IOException {
        long length = varint();
        if (length > contentLength - consumed()) {
            throw new IllegalStateException("a length of " + length + " past the end");
        }
        byte[] value = new byte[(int) length];
        int done = 0;
        while (done < value.length) {
            int part = Math.min(value.length - done, available(1).remaining());
            buffer.get(value, done, part);
            done += part;
        }
        return value;
    }

    /** Fails unless every byte of the content was read. */
    public void requireEnd() {
        if (consumed() != contentLength) {
            throw new IllegalStateException((contentLength - consumed()) + " stray bytes at the end");
        }
    }

    private long consumed() {
        return filePosition - buffer.remaining();
    }

    private ByteBuffer available(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return buffer;
        }
        buffer.compact();
        buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + contentLength - filePosition));
        filePosition += readFully(buffer, filePosition);
        buffer.flip();
        if (buffer.remaining() < bytes) {
            throw new IllegalStateException("the content ends inside a value");
        }
        return buffer;
    }

    /** Reads from {@code position} until the buffer's limit; returns the bytes read. */
    private int readFully(ByteBuffer into, long position) throws IOException {
        int read = 0;
        while (into.hasRemaining()) {
            int n = channel.read(into, position + read);
            if (n < 0) {
                throw new IOException("the file ended at " + (position + read) + " while being read");
            }
            read += n;
        }
        return read;
    }
}

package io.eventlog.server.raftlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.eventlog.server.storage.Fsync;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A small file that is replaced whole and atomically, and checked when read: {@code format:u8 content
 * crc32c:i32}, the checksum over the bytes before it. A write goes to {@code <name>.tmp}, is fsynced, renamed over the file, and the
 * directory is fsynced, so after a crash the file holds either the old or the new content. A
 * leftover temp file (a crash before the rename) is never read, and overwritten by the next write.
 */
final class AtomicFile {
    private static final int CRC_LENGTH = 4;

    private final Path path;
    private final Path temp;
    private final byte format;

    /** @param format the version of the content's layout, checked on reading */
    AtomicFile(Path path, byte format) {
        this.path = path;
        this.temp = path.resolveSibling(path.getFileName() + ".tmp");
        this.format = format;
    }

    /** How a file's content is read; a content that makes no sense may throw any runtime exception. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(ByteBuffer littleEndianContent);
    }

    /**
     * The content last written, parsed; null when the file was never written. A checksum mismatch, an
     * unknown format, a parser that fails or leaves bytes unread is an error that says the file is corrupt.
     */
    <T> T read(Parser<T> parser) {
        if (!Files.exists(path)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        if (bytes.length < 1 + CRC_LENGTH) {
            throw corrupt("it has " + bytes.length + " bytes, less than its format and checksum");
        }
        int length = bytes.length - CRC_LENGTH;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        if (in.getInt(length) != (int) crc.getValue()) {
            throw corrupt("checksum mismatch over " + length + " bytes");
        }
        in.limit(length);
        if (in.get() != format) {
            throw corrupt("unknown format " + bytes[0]);
        }
        T parsed;
        try {
            parsed = parser.parse(in);
        } catch (RuntimeException e) {
            throw corrupt(e.toString());
        }
        if (in.hasRemaining()) {
            throw corrupt(in.remaining() + " stray bytes");
        }
        return parsed;
    }

    void write(byte[] content) {
        byte[] formatByte = {format};
        CRC32C checksum = new CRC32C();
        checksum.update(formatByte);
        checksum.update(content);
        ByteBuffer crc = ByteBuffer.allocate(CRC_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, (int) checksum.getValue());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer[] buffers = {ByteBuffer.wrap(formatByte), ByteBuffer.wrap(content), crc};
                while (crc.hasRemaining()) {
                    channel.write(buffers);
                }
                channel.force(false); // fdatasync: the data and the size, all a new file needs
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        Fsync.directory(path.getParent());
    }

    private IllegalStateException corrupt(String why) {
        return new IllegalStateException(path + " is corrupt (" + why + "). It is written atomically, so this is"
                + " damage, not a crash: move the data directory aside and restore the node from a backup or a replica.");
    }
}

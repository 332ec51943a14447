package io.eventlog.server.recovery;

import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Finds and damages stored records in the queue's {@code .cq4} files, as a torn write or a bad disk
 * would. A record is found by a unique marker in its data; its place is then checked against the
 * Chronicle excerpt header in front of it (4 bytes, little-endian, the excerpt's length in the low 30
 * bits), so a damage never lands anywhere but where the test means it to. A Raft log's NORMAL entry is
 * stored with the same layout, so its records are found the same way.
 */
public final class QueueFiles {
    /** Mask of the length bits of a Chronicle excerpt header. */
    private static final int LENGTH_MASK = (1 << 30) - 1;

    /** Where one record is stored: its file, the position of its excerpt header, its length. */
    public record Located(Path file, long headerPosition, int length, long dataPosition, int dataLength) {
        public long recordPosition() {
            return headerPosition + 4;
        }
    }

    private QueueFiles() {
    }

    static List<Path> cq4Files(Path dataDir) {
        try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Locates the record of an event without key, type or headers appended to {@code stream} whose data
     * is exactly {@code data}; it must be stored exactly once.
     */
    public static Located locate(Path dataDir, String stream, String data) {
        byte[] dataBytes = data.getBytes(StandardCharsets.UTF_8);
        // fixed part (38) + key len (2, -1) + stream (2 + n) + type len (2, -1) + header count (2) + data len (4)
        int beforeData = 38 + 2 + 2 + stream.getBytes(StandardCharsets.UTF_8).length + 2 + 2 + 4;
        List<Located> found = new ArrayList<>();
        for (Path file : cq4Files(dataDir)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                map.order(ByteOrder.LITTLE_ENDIAN);
                for (long at : indexesOf(map, dataBytes)) {
                    long header = at - beforeData - 4;
                    int length = beforeData + dataBytes.length + 4;
                    CrashVerifier.check(header >= 0 && (map.getInt((int) header) & LENGTH_MASK) == length
                            && map.getInt((int) at - 4) == dataBytes.length, file.toString(),
                            "the data " + data + " at " + at + " is not where a record of it would hold it");
                    found.add(new Located(file, header, length, at, dataBytes.length));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        CrashVerifier.check(found.size() == 1, dataDir.toString(), "the data " + data + " is stored "
                + found.size() + " times, not once");
        return found.get(0);
    }

    private static List<Long> indexesOf(ByteBuffer haystack, byte[] needle) {
        List<Long> found = new ArrayList<>();
        int limit = haystack.limit() - needle.length;
        outer:
        for (int i = 0; i <= limit; i++) {
            if (haystack.get(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            found.add((long) i);
        }
        return found;
    }

    /** XORs the byte at {@code position} of {@code file} with 0xFF. */
    public static void flipByte(Path file, long position) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte b = one.get();
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0xFF)}), position);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes zeros over {@code [from, to)} of {@code file}. */
    public static void zero(Path file, long from, long to) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (to - from)), from);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts {@code file} to {@code length} bytes. */
    public static void truncate(Path file, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a closed node's checkpoints, so that its next start replays the whole (damaged) log. */
    public static void deleteCheckpoints(Path dataDir) {
        try (Stream<Path> files = Files.list(dataDir.resolve("checkpoints"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the records of each kind in the raw queue, live or dead, and the corrupt excerpts. */
    record RawCounts(long events, long resumeMarkers, long corrupt) {
    }

    static RawCounts rawCounts(Path dataDir) {
        long events = 0;
        long markers = 0;
        long corrupt = 0;
        try (ChronicleLog log = ChronicleLog.open(dataDir, RollCycles.FAST_HOURLY, false);
             LogReader reader = log.createReader()) {
            reader.toStart();
            LogReader.Excerpt excerpt;
            while ((excerpt = reader.next(LogReader.EVERYTHING)) != null) {
                if (excerpt.isCorrupt()) {
                    corrupt++;
                } else if (excerpt.record().kind() == RecordKind.RESUME) {
                    markers++;
                } else {
                    events++;
                }
            }
        }
        return new RawCounts(events, markers, corrupt);
    }
}

package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncRunwayTest {
    @TempDir
    Path dir;

    private static byte[] record(long offset) {
        byte[] data = new byte[1_000 + (int) (offset % 7) * 100];
        Arrays.fill(data, (byte) ('a' + offset % 26));
        return RecordCodec.encode(new StoredRecord(RecordKind.EVENT, 0, offset, 1_700_000_000_000L, "s", offset - 1,
                null, Map.of(), data, null, 1));
    }

    private static void assertRecords(ChronicleLog log, long first, long last) {
        try (LogReader reader = log.createReader()) {
            for (long offset = first; offset <= last; offset++) {
                LogReader.Excerpt excerpt = reader.next(LogReader.EVERYTHING);
                assertNull(excerpt.corruption(), "record " + offset);
                assertArrayEquals(record(offset), RecordCodec.encode(excerpt.record()), "record " + offset);
            }
            assertNull(reader.next(LogReader.EVERYTHING), "nothing after " + last);
        }
    }

    @Test
    void writesZerosOnlyOnWholePagesPastTheEndAndNeverChangesTheFilesLength() throws IOException {
        File file = dir.resolve("cycle").toFile();
        byte[] written = new byte[10_000];
        Arrays.fill(written, (byte) 7);
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(64L << 20);
            raf.write(written);
            raf.seek(SyncRunway.firstPageAfter(written.length));
            raf.write(new byte[] {9, 9, 9}); // stands for whatever a hole would hold
        }
        try (SyncRunway runway = new SyncRunway()) {
            runway.extend(file, written.length);
        }

        byte[] content = Files.readAllBytes(file.toPath());
        assertEquals(64L << 20, content.length);
        assertArrayEquals(written, Arrays.copyOf(content, written.length), "the log's bytes are untouched");
        long from = SyncRunway.firstPageAfter(written.length);
        assertEquals(3 * SyncRunway.PAGE, from, "the page holding the end is left alone");
        assertTrue(Arrays.equals(new byte[SyncRunway.STEP],
                Arrays.copyOfRange(content, (int) from, (int) from + SyncRunway.STEP)), "one step of zeros after it");
    }

    @Test
    void stopsAtTheFilesEndAndAtTheRunwaysLength() throws IOException {
        File file = dir.resolve("cycle").toFile();
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(SyncRunway.PAGE * 3L);
        }
        try (SyncRunway runway = new SyncRunway()) {
            for (int i = 0; i < 20; i++) {
                runway.extend(file, 100);
            }
        }
        assertEquals(SyncRunway.PAGE * 3L, file.length(), "a runway never makes a file longer");
    }

    @Test
    void recordsWrittenOverTheRunwayComeBackWholeAfterSyncsAndAReopen() {
        long last = 0;
        // ~40 MiB of records, synced every 16 records: the log runs over many steps of the runway.
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, true);
             LogAppender appender = log.createAppender()) {
            for (long offset = 1; offset <= 30_000; offset++) {
                appender.append(record(offset));
                last = offset;
                if (offset % 16 == 0) {
                    appender.sync();
                }
            }
            appender.sync();
            assertRecords(log, 1, last);
        }
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, true);
             LogAppender appender = log.createAppender()) {
            for (long offset = last + 1; offset <= last + 2_000; offset++) {
                appender.append(record(offset));
                appender.sync();
            }
            assertRecords(log, 1, last + 2_000);
        }
    }

    @Test
    void aCycleRollMovesTheRunwayToTheNewFile() throws InterruptedException {
        try (ChronicleLog log = ChronicleLog.open(dir, TestRollCycles.TEST_SECONDLY, true);
             LogAppender appender = log.createAppender()) {
            long before = appender.append(record(1));
            appender.sync();
            Thread.sleep(1_100);
            long after = appender.append(record(2));
            appender.sync();
            appender.append(record(3));
            appender.sync();

            assertNotEquals(log.cycleOf(before), log.cycleOf(after));
            assertRecords(log, 1, 3);
        }
    }
}

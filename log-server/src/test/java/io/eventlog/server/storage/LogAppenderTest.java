package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAppenderTest {
    @TempDir
    Path dir;

    private static byte[] record(long offset, int dataLength) {
        byte[] data = new byte[dataLength];
        Arrays.fill(data, (byte) ('a' + offset % 26));
        return RecordCodec.encode(new StoredRecord(RecordKind.EVENT, 0, offset, 1_700_000_000_000L, "s", offset - 1,
                null, Map.of(), data, null, 1));
    }

    /** Reads every record of the log with its queue index, failing on a corrupt one. */
    private static List<long[]> indexesAndOffsets(ChronicleLog log) {
        List<long[]> found = new ArrayList<>();
        try (LogReader reader = log.createReader()) {
            LogReader.Excerpt excerpt;
            while ((excerpt = reader.next(LogReader.EVERYTHING)) != null) {
                assertNull(excerpt.corruption(), "excerpt at " + Long.toHexString(excerpt.queueIndex()));
                found.add(new long[] {excerpt.queueIndex(), excerpt.record().offset()});
            }
        }
        return found;
    }

    @Test
    void recordsOfAnySizeComeBackByteForByteAtConsecutiveIndexes() {
        int[] dataLengths = {0, 100, 5_000, 70_000, 3};
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false);
             LogAppender appender = log.createAppender()) {
            long[] indexes = new long[dataLengths.length];
            for (int i = 0; i < dataLengths.length; i++) {
                indexes[i] = appender.append(record(i + 1, dataLengths[i]));
            }

            for (int i = 1; i < indexes.length; i++) {
                assertEquals(indexes[0] + i, indexes[i]);
            }
            try (LogReader reader = log.createReader()) {
                for (int i = 0; i < dataLengths.length; i++) {
                    StoredRecord read = reader.next(LogReader.EVERYTHING).record();
                    assertEquals(i + 1, read.offset());
                    assertArrayEquals(record(i + 1, dataLengths[i]), RecordCodec.encode(read));
                }
            }
        }
    }

    @Test
    void writesOnlyTheGivenLengthOfABufferFromItsStart() {
        byte[] whole = record(1, 10);
        ByteBuffer buffer = ByteBuffer.allocate(whole.length + 50).put(whole).put(new byte[50]);
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false);
             LogAppender appender = log.createAppender()) {
            appender.append(buffer, whole.length);

            assertEquals(List.of(1L), indexesAndOffsets(log).stream().map(found -> found[1]).toList());
        }
    }

    @Test
    void anAppendAfterAnotherAppenderWroteGoesAfterItsRecord() {
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false)) {
            long first;
            long second;
            long third;
            try (LogAppender appender = log.createAppender()) {
                first = appender.append(record(1, 10));
                try (LogAppender other = log.createAppender()) {
                    second = other.append(record(2, 10));
                }
                third = appender.append(record(3, 10));
            }

            assertEquals(List.of(first, second, third), indexesAndOffsets(log).stream().map(found -> found[0]).toList());
            assertEquals(List.of(1L, 2L, 3L), indexesAndOffsets(log).stream().map(found -> found[1]).toList());
            assertEquals(first + 2, third);
        }
    }

    @Test
    void aRecordAfterACycleRollGoesToTheNewCycle() throws InterruptedException {
        try (ChronicleLog log = ChronicleLog.open(dir, TestRollCycles.TEST_SECONDLY, false);
             LogAppender appender = log.createAppender()) {
            long before = appender.append(record(1, 10));
            Thread.sleep(1_100);
            long after = appender.append(record(2, 10));

            assertNotEquals(log.cycleOf(before), log.cycleOf(after));
            assertEquals(List.of(before, after), indexesAndOffsets(log).stream().map(found -> found[0]).toList());
        }
    }

    @Test
    void inFsyncModeTheFirstSyncInEachCycleFileAlsoSyncsTheQueueDirectory() throws InterruptedException {
        List<Path> syncedDirectories = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(TestRollCycles.TEST_SECONDLY).syncMode(SyncMode.SYNC).build();
             LogAppender appender = new LogAppender(queue.createAppender(), true, syncedDirectories::add)) {
            appender.append(record(1, 10));
            appender.sync();
            appender.append(record(2, 10));
            appender.sync();
            assertEquals(List.of(dir), syncedDirectories, "once for the first file");

            Thread.sleep(1_100); // the next append rolls to a new cycle file
            appender.append(record(3, 10));
            appender.sync();
            appender.sync();
            assertEquals(List.of(dir, dir), syncedDirectories, "once more for the new file");
        }
    }

    @Test
    void inProcessModeASyncSyncsNothing() {
        List<Path> syncedDirectories = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(TestRollCycles.TEST_SECONDLY).build();
             LogAppender appender = new LogAppender(queue.createAppender(), false, syncedDirectories::add)) {
            appender.append(record(1, 10));
            appender.sync();
            assertEquals(List.of(), syncedDirectories);
        }
    }

}

package io.eventlog.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogAppender;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.RecordKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by {@link KillNineTest} (seed 987065052173, cycle 1, FSYNC: a keyed batch of 4 survived the kill
 * as 1 entry): a batch is written as one excerpt per event, and a crash between two of them leaves the
 * first events of the batch in the log. The writer now puts the append's size on its last record, and
 * replay drops an append whose last record is missing, so the batch stays all or nothing and a retry
 * with its Idempotency-Key stores it once. This test writes the log as the writer does up to the crash.
 */
class PartialBatchTest {
    @TempDir
    Path dir;

    private static void write(LogAppender appender, String stream, long offset, long version, int batchCount,
                              String key, String json) {
        byte[] body = RecordCodec.encodeBody(stream, null, Map.of(), json.getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(RecordCodec.recordLength(body, keyBytes)).order(ByteOrder.LITTLE_ENDIAN);
        int length = RecordCodec.encodeRecord(buffer, RecordKind.EVENT, 0, offset, System.currentTimeMillis(), version,
                batchCount, keyBytes, body);
        appender.append(buffer, length);
    }

    @Test
    void aBatchCutByACrashBetweenItsRecordsIsNotServedAndItsRetryStoresItOnce() {
        try (ChronicleLog log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false);
             LogAppender appender = log.createAppender()) {
            write(appender, "s", 1, 0, 1, null, "0");
            // A keyed batch of 3 (offsets 2..4): the process died after writing its first two records.
            write(appender, "s", 2, 1, 0, null, "1");
            write(appender, "s", 3, 2, 0, null, "2");
        }
        List<EventData> batch = List.of(EventData.json("1"), EventData.json("2"), EventData.json("3"));
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dir))) {
            assertEquals(List.of(1L), CrashVerifier.readLog(node).stream().map(Entry::offset).toList());
            AppendResult retry = node.append("s", batch, AppendOptions.DEFAULT.withIdempotencyKey("k")).block();
            assertEquals(new AppendResult("s", 4, 3, 2, 1, 3), retry);
        }
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dir))) {
            assertEquals(List.of("0", "1", "2", "3"),
                    CrashVerifier.readLog(node).stream().map(Entry::dataAsString).toList());
        }
    }
}

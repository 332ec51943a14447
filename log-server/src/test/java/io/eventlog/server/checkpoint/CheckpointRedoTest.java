package io.eventlog.server.checkpoint;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.recovery.LogReplay;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoint + redo gives exactly the state a full replay gives. Per seed: three sessions of random
 * appends on one data directory (each restart adds a RESUME marker, so the offset index has several
 * runs), with checkpoints on demand at random points and on every close, all of them kept. Then, for
 * every checkpoint, restoring it and replaying the log after it must give the full replay's state;
 * and a node restarted from a checkpoint in the middle serves the same reads and answers every
 * Idempotency-Key retry with the original result.
 */
class CheckpointRedoTest {
    private static final IdempotencyLimits WINDOW = IdempotencyLimits.defaults();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void checkpointPlusRedoEqualsAFullReplay(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        NodeConfig config = NodeConfig.defaults(dir)
                .withCheckpoints(CheckpointConfig.defaults().withEveryEntries(150 + random.nextInt(450)).withKept(1000));
        RandomAppends appends = new RandomAppends(random, 1 + random.nextInt(40));
        List<Entry> log = null;
        Map<String, List<Entry>> streams = null;
        for (int session = 0; session < 3; session++) {
            try (EventLogNode node = EventLogNode.open(config)) {
                for (int burst = 50 + random.nextInt(100); burst > 0; burst--) {
                    appends.burst(node, 16);
                    if (random.nextInt(20) == 0) {
                        node.checkpoint().block();
                    }
                }
                log = readLog(node);
                streams = readStreams(node, log);
            }
        }
        List<Checkpoint> checkpoints = TestFiles.checkpointsIn(dir.resolve("checkpoints"));
        assertTrue(checkpoints.size() >= 3, "seed " + seed + ": only " + checkpoints.size() + " checkpoints");

        try (ChronicleLog chronicle = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false);
             LogReader reader = chronicle.createReader()) {
            OffsetIndex offsets = new OffsetIndex();
            EventStateMachine state = new EventStateMachine(WINDOW);
            LogReplay.Result full = LogReplay.replay(reader, offsets, state);
            StateImage expected = StateImage.of(state, offsets);
            for (Checkpoint checkpoint : checkpoints) {
                RestoredCheckpoint restored = restore(checkpoint);
                assertNull(restored.anchor().mismatch(reader), checkpoint.toString());
                LogReplay.Result redo = LogReplay.redo(reader, restored.offsets(), restored.state(), checkpoint.offset());
                StateImage actual = StateImage.of(restored.state(), restored.offsets());
                assertEquals(expected, actual, () -> "seed " + seed + ", " + checkpoint + ": "
                        + actual.differenceFrom(expected));
                assertEquals(full.lastGoodOffset(), redo.lastGoodOffset());
            }
        }

        Checkpoint middle = checkpoints.get(checkpoints.size() / 2);
        for (Checkpoint newer : checkpoints.subList(0, checkpoints.size() / 2)) {
            Files.delete(newer.file());
        }
        try (EventLogNode node = EventLogNode.open(config)) {
            assertEquals(log, readLog(node), "seed " + seed + ": the log read after a restart from " + middle);
            assertEquals(streams, readStreams(node, log), "seed " + seed + ": streams after a restart from " + middle);
            for (Map.Entry<String, AppendResult> keyed : appends.firstResultByKey().entrySet()) {
                String stream = keyed.getKey().substring(0, keyed.getKey().indexOf('/'));
                String key = keyed.getKey().substring(stream.length() + 1);
                AppendResult retried = node.append(stream, List.of(EventData.json("{}")),
                        AppendOptions.DEFAULT.withIdempotencyKey(key)).block();
                assertEquals(keyed.getValue(), retried, "seed " + seed + ": a retry of " + keyed.getKey());
            }
            assertEquals(log.get(log.size() - 1).offset(), node.lastOffset(), "a retry appended something");
        }
    }

    private RestoredCheckpoint restore(Checkpoint checkpoint) throws IOException, UnusableCheckpointException {
        try (FileChannel channel = FileChannel.open(checkpoint.file(), StandardOpenOption.READ)) {
            return CheckpointCodec.read(channel, WINDOW);
        }
    }

    static List<Entry> readLog(EventLogNode node) {
        return node.read(ReadRequest.log(0, Integer.MAX_VALUE)).collectList().block();
    }

    static Map<String, List<Entry>> readStreams(EventLogNode node, List<Entry> log) {
        Map<String, List<Entry>> streams = new TreeMap<>();
        log.stream().map(Entry::stream).distinct().forEach(stream -> streams.put(stream,
                node.read(ReadRequest.stream(stream, 0, Integer.MAX_VALUE)).collectList().block()));
        return streams;
    }
}

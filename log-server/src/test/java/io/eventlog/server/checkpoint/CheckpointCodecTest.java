package io.eventlog.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.server.recovery.QueueFiles;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.AppendDecision;
import io.eventlog.server.streams.EventStateMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCodecTest {
    @TempDir
    Path dir;

    private final EventStateMachine state = new EventStateMachine(Startups.WINDOW);
    private final OffsetIndex offsets = new OffsetIndex();
    private LogAnchor anchor;
    private Path file;

    /** A state with a stream of several chunks, many small ones, keyed appends, and three runs of offsets. */
    @BeforeEach
    void fill() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        long offset = 1;
        long queueIndex = 100;
        for (int append = 0; append < 12_000; append++) {
            String stream = append % 2 == 0 ? "big" : "small-" + random.nextInt(500) + "-\u00e9";
            int count = 1 + random.nextInt(3);
            String key = random.nextInt(4) == 0 ? "key-" + append : null;
            long version = ((AppendDecision.Accept) state.decide(stream, AppendOptions.DEFAULT, 0)).nextVersion();
            if (append == 4000 || append == 9000) {
                queueIndex += 1000; // a cycle roll or a dead region: a new run
            }
            for (int i = 0; i < count; i++) {
                offsets.add(offset + i, queueIndex++);
            }
            state.applyAppend(stream, offset, version, count, 1_700_000_000_000L + append, key);
            offset += count;
        }
        anchor = new LogAnchor(offset - 1, queueIndex - 1, 12345);
        file = dir.resolve("checkpoint");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            CheckpointCodec.write(new CheckpointData(anchor, new RaftMeta(7, 3, new byte[] {1, 2, 3}),
                    state.snapshot(), offsets.runs(), 1), channel);
        }
    }

    @Test
    void readsBackTheStateItWrote() throws Exception {
        RestoredCheckpoint restored = read();

        assertEquals(StateImage.of(state, offsets), StateImage.of(restored.state(), restored.offsets()));
        assertEquals(anchor, restored.anchor());
        assertEquals(7, restored.raft().appliedIndex());
        assertEquals(3, restored.raft().appliedTerm());
        assertEquals(3, restored.raft().membership().length);
        assertEquals(3, restored.offsets().segmentCount());
        AppendResult original = state.snapshot().remembered().get(0).result();
        AppendDecision retry = restored.state().decide(original.stream(),
                AppendOptions.DEFAULT.withIdempotencyKey(state.snapshot().remembered().get(0).key()), 0);
        assertEquals(new AppendDecision.Duplicate(original), retry);
    }

    @Test
    void aCheckpointWithoutHeldEntriesReadsBackFromMemoryWithItsFirstHeldOffset() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogAnchor notHeld = LogAnchor.notHeld(state.lastOffset());
        CheckpointCodec.write(new CheckpointData(notHeld, new RaftMeta(state.lastOffset() + 2, 4, new byte[0]),
                state.snapshot(), List.of(), state.lastOffset() + 3), Channels.newChannel(bytes));

        RestoredCheckpoint restored = CheckpointCodec.read(bytes.toByteArray(), Startups.WINDOW);

        assertEquals(notHeld, restored.anchor());
        assertEquals(-1, restored.offsets().lastOffset());
        assertEquals(state.lastOffset() + 3, restored.offsets().firstHeldOffset());
        assertEquals(state.lastOffset(), restored.state().lastOffset());
        assertEquals(StateImage.of(state, new OffsetIndex()), StateImage.of(restored.state(), restored.offsets()));
    }

    @Test
    void storesAStreamsConsecutiveOffsetsAsRunsSoLongAppendsCostBytesPerAppendNotPerEntry() throws Exception {
        AppendedState batched = new AppendedState();
        for (int append = 0; append < 1_000; append++) {
            batched.append("stream-" + append % 4, append == 7 ? 1 : 1_000);
        }

        byte[] checkpoint = batched.checkpoint();

        assertEquals(batched.image(), imageOf(CheckpointCodec.read(checkpoint, Startups.WINDOW)));
        assertTrue(checkpoint.length < 10_000, "999,001 entries in 1,000 appends took " + checkpoint.length + " bytes");
    }

    @Test
    void runsOfEveryLengthAcrossChunkBoundariesReadBackExactly() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        AppendedState varied = new AppendedState();
        for (int append = 0; append < 400; append++) {
            varied.append("stream-" + random.nextInt(3),
                    random.nextInt(4) == 0 ? 1 + random.nextInt(9_000) : 1 + random.nextInt(40));
        }

        assertEquals(varied.image(), imageOf(CheckpointCodec.read(varied.checkpoint(), Startups.WINDOW)));
    }

    /** A state built by appends at consecutive offsets, each offset stored at the same queue index. */
    private static final class AppendedState {
        final EventStateMachine state = new EventStateMachine(Startups.WINDOW);
        final OffsetIndex offsets = new OffsetIndex();
        long nextOffset = 1;

        void append(String stream, int count) {
            long version = ((AppendDecision.Accept) state.decide(stream, AppendOptions.DEFAULT, 0)).nextVersion();
            for (int i = 0; i < count; i++) {
                offsets.add(nextOffset + i, nextOffset + i);
            }
            state.applyAppend(stream, nextOffset, version, count, 0, null);
            nextOffset += count;
        }

        byte[] checkpoint() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CheckpointCodec.write(new CheckpointData(new LogAnchor(nextOffset - 1, nextOffset - 1, 1),
                    new RaftMeta(0, 0, new byte[0]), state.snapshot(), offsets.runs(), 1), Channels.newChannel(bytes));
            return bytes.toByteArray();
        }

        StateImage image() {
            return StateImage.of(state, offsets);
        }
    }

    private static StateImage imageOf(RestoredCheckpoint restored) {
        return StateImage.of(restored.state(), restored.offsets());
    }

    @Test
    void readsAFormat2CheckpointThatStoresOneGapPerVersion() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChecksummedOutput out = new ChecksummedOutput(Channels.newChannel(bytes));
        out.i32('E' | 'V' << 8 | 'C' << 16 | 'K' << 24);
        out.u8(2);
        out.i64(5); // anchor: offset 5 at queue index 104
        out.i64(104);
        out.i32(99);
        out.i64(0);
        out.i64(0);
        out.bytes(new byte[0]);
        out.varint(1); // first held
        out.varint(1); // one run: offsets 1..5 at queue indexes 100..104
        out.varint(1);
        out.i64(100);
        out.varint(4);
        out.varint(2); // stream "a": offsets 1, 2, 4; stream "b": 3, 5
        out.bytes("a".getBytes(StandardCharsets.UTF_8));
        out.varint(3);
        for (long gap : new long[] {1, 1, 2}) {
            out.varint(gap);
        }
        out.bytes("b".getBytes(StandardCharsets.UTF_8));
        out.varint(2);
        out.varint(3);
        out.varint(2);
        out.varint(0); // nothing remembered
        out.finish();

        RestoredCheckpoint restored = CheckpointCodec.read(bytes.toByteArray(), Startups.WINDOW);

        StateImage image = StateImage.of(restored.state(), restored.offsets());
        assertEquals(Map.of("a", List.of(1L, 2L, 4L), "b", List.of(3L, 5L)), image.streams());
        assertEquals(List.of(new OffsetIndex.Run(1, 100, 5)), image.runs());
        assertEquals(new LogAnchor(5, 104, 99), restored.anchor());
    }

    @Test
    void aDamagedFileIsCorruptWhereverTheDamage() throws Exception {
        long size = Files.size(file);
        for (long position : new long[] {0, 5, 20, size / 3, size / 2, size - 5, size - 1}) {
            QueueFiles.flipByte(file, position);
            assertEquals(UnusableCheckpointException.Reason.CORRUPT, assertThrows(UnusableCheckpointException.class,
                    this::read).reason(), "a byte flipped at " + position);
            QueueFiles.flipByte(file, position);
        }
        read();
    }

    @Test
    void aCutShortFileIsCorrupt() throws Exception {
        for (long length : new long[] {Files.size(file) - 1, Files.size(file) / 2, 3, 0}) {
            QueueFiles.truncate(file, length);
            assertEquals(UnusableCheckpointException.Reason.CORRUPT, assertThrows(UnusableCheckpointException.class,
                    this::read).reason(), "cut to " + length + " bytes");
        }
    }

    private RestoredCheckpoint read() throws IOException, UnusableCheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return CheckpointCodec.read(channel, Startups.WINDOW);
        }
    }
}

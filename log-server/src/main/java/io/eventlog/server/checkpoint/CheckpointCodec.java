package io.eventlog.server.checkpoint;

import io.eventlog.api.AppendResult;
import io.eventlog.server.checkpoint.UnusableCheckpointException.Reason;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import io.eventlog.server.streams.RememberedAppend;
import io.eventlog.server.streams.StreamSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint file, format 3 (formats 1 and 2 are read too: format 1 has no {@code firstHeld}, which is
 * then 1; both store a stream's offsets one gap per version). Numbers are little-endian, {@code varint}s
 * unsigned LEB128, and {@code bytes} is a varint length and the bytes (UTF-8 for names and keys):
 * <pre>
 * header      magic "EVCK"  format:u8 (3)
 * anchor      offset:i64 queueIndex:i64 checksum:i32          the record the checkpoint ends on (queue index -1: none held)
 * raft        appliedIndex:i64 appliedTerm:i64 membership:bytes   0, 0, empty on a single node
 * firstHeld   offset:varint                                    offsets below it are no longer held by this node
 * runs        count:varint { firstOffset:varint firstQueueIndex:i64 length-1:varint }       in offset order
 * streams     count:varint { name:bytes versions:varint { gap&lt;&lt;1|more:varint [ length-2:varint ] } }
 * remembered  count:varint { stream:varint key:bytes offset:varint version:varint count:varint timestamp:i64 }
 * checksum    crc32c:i32 over every byte before it
 * </pre>
 * A stream's offsets are stored as runs of consecutive offsets (an append of n events is one run of n):
 * the gap from the previous run's last offset (0 before the first) to the run's first, shifted left by
 * one, its low bit set when the run holds more than one offset, and then the run's length less 2. A
 * checkpoint's size and the time to write it thus grow with the number of runs, not of entries.
 * Remembered appends are the idempotency window's, oldest first: {@code stream} is the position of its
 * stream in the streams section, {@code offset} and {@code version} are the append's last, {@code count}
 * its size. The anchor and the runs are this node's own (queue indexes); the raft part and the state are
 * the same on every replica.
 *
 * <p>Both directions stream: writing goes through one buffer, reading rebuilds the state as it goes,
 * so a checkpoint of millions of entries never sits in memory as bytes.
 */
public final class CheckpointCodec {
    private static final int MAGIC = 'E' | 'V' << 8 | 'C' << 16 | 'K' << 24;
    private static final int FORMAT = 3;
    /** The oldest format read: no {@code firstHeld}; it and format 2 store a stream's offsets one gap per version. */
    private static final int FORMAT_WITHOUT_FIRST_HELD = 1;
    /** Magic, format and anchor. */
    private static final int HEADER_LENGTH = 4 + 1 + 8 + 8 + 4;
    /** Offsets are restored in batches of this many, through one array. */
    private static final int RESTORE_BATCH = 8192;

    private CheckpointCodec() {
    }

    public static void write(CheckpointData data, WritableByteChannel channel) throws IOException {
        ChecksummedOutput out = new ChecksummedOutput(channel);
        out.i32(MAGIC);
        out.u8(FORMAT);
        LogAnchor anchor = data.anchor();
        out.i64(anchor.offset());
        out.i64(anchor.queueIndex());
        out.i32(anchor.checksum());
        out.i64(data.raft().appliedIndex());
        out.i64(data.raft().appliedTerm());
        out.bytes(data.raft().membership());
        out.varint(data.firstHeldOffset());
        writeRuns(out, data.runs());
        Map<String, Integer> streamPositions = writeStreams(out, data.state().streams());
        writeRemembered(out, data.state().remembered(), streamPositions);
        out.finish();
    }

    private static void writeRuns(ChecksummedOutput out, List<OffsetIndex.Run> runs) throws IOException {
        out.varint(runs.size());
        for (OffsetIndex.Run run : runs) {
            out.varint(run.firstOffset());
            out.i64(run.firstQueueIndex());
            out.varint(run.lastOffset() - run.firstOffset());
        }
    }

    private static Map<String, Integer> writeStreams(ChecksummedOutput out, List<StreamSnapshot> streams)
            throws IOException {
        Map<String, Integer> positions = new HashMap<>(streams.size() * 2);
        out.varint(streams.size());
        for (StreamSnapshot stream : streams) {
            positions.put(stream.stream(), positions.size());
            out.bytes(utf8(stream.stream()));
            out.varint(stream.versions());
            writeOffsetRuns(out, stream);
        }
        return positions;
    }

    private static void writeOffsetRuns(ChecksummedOutput out, StreamSnapshot stream) throws IOException {
        long previous = 0;
        int versions = stream.versions();
        int version = 0;
        while (version < versions) {
            long first = stream.offsetOf(version);
            int length = runLength(stream, version, first);
            if (length == 1) {
                out.varint((first - previous) << 1);
            } else {
                out.varint((first - previous) << 1 | 1);
                out.varint(length - 2);
            }
            previous = first + length - 1;
            version += length;
        }
    }

    /**
     * How many versions from {@code version} on are at consecutive offsets from {@code first}. Offsets grow
     * strictly within a stream, so {@code offsetOf(version + k - 1) == first + k - 1} proves the k versions
     * from {@code version} consecutive: the run's end is found by galloping, reading O(log² n) offsets of a
     * run of n, not all n.
     */
    private static int runLength(StreamSnapshot stream, int version, long first) {
        long known = 1; // versions [version, version + known) are consecutive
        long limit = stream.versions() - version; // and the run is at most this long
        long step = 1;
        while (known < limit) {
            long probe = Math.min(known + step, limit);
            if (stream.offsetOf((int) (version + probe - 1)) == first + probe - 1) {
                known = probe;
                step <<= 1;
            } else {
                limit = probe - 1;
                step = 1;
            }
        }
        return (int) known;
    }

    private static void writeRemembered(ChecksummedOutput out, List<RememberedAppend> remembered,
                                        Map<String, Integer> streamPositions) throws IOException {
        out.varint(remembered.size());
        for (RememberedAppend append : remembered) {
            AppendResult result = append.result();
            out.varint(streamPositions.get(append.stream()));
            out.bytes(utf8(append.key()));
            out.varint(result.offset());
            out.varint(result.version());
            out.varint(result.count());
            out.i64(append.timestamp());
        }
    }

    /**
     * Rebuilds the state and offset index a checkpoint file holds. A file that fails its checksum, is
     * of another format, or does not add up is {@link Reason#CORRUPT}.
     */
    public static RestoredCheckpoint read(FileChannel channel, IdempotencyLimits idempotencyLimits)
            throws IOException, UnusableCheckpointException {
        return read(ChecksummedInput.open(channel), idempotencyLimits);
    }

    /** Like {@link #read(FileChannel, IdempotencyLimits)}, for a checkpoint held in memory (a Raft snapshot). */
    public static RestoredCheckpoint read(byte[] checkpoint, IdempotencyLimits idempotencyLimits)
            throws UnusableCheckpointException {
        try {
            return read(ChecksummedInput.open(checkpoint), idempotencyLimits);
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory failed", e);
        }
    }

    /**
     * The anchor a checkpoint file names, read from its header alone (the checksum is not checked), or
     * null when the file is not a checkpoint this version reads. For retention, which keeps the log
     * from the oldest checkpoint's anchor on.
     */
    public static LogAnchor anchorOf(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        while (header.hasRemaining()) {
            if (channel.read(header, header.position()) < 0) {
                break;
            }
        }
        return anchorOf(header.flip());
    }

    /** Like {@link #anchorOf(FileChannel)}, for a checkpoint held in memory (a Raft snapshot). */
    public static LogAnchor anchorOf(byte[] checkpoint) {
        return anchorOf(ByteBuffer.wrap(checkpoint, 0, Math.min(checkpoint.length, HEADER_LENGTH)));
    }

    private static LogAnchor anchorOf(ByteBuffer header) {
        header.order(ByteOrder.LITTLE_ENDIAN);
        if (header.remaining() < HEADER_LENGTH || header.getInt() != MAGIC) {
            return null;
        }
        int format = header.get();
        if (!isReadable(format)) {
            return null;
        }
        return new LogAnchor(header.getLong(), header.getLong(), header.getInt());
    }

    private static RestoredCheckpoint read(ChecksummedInput in, IdempotencyLimits idempotencyLimits)
            throws IOException, UnusableCheckpointException {
        try {
            if (in.i32() != MAGIC) {
                throw new IllegalStateException("not a checkpoint file (magic)");
            }
            int format = in.u8();
            if (!isReadable(format)) {
                throw new IllegalStateException("format " + format + ", this version reads " + FORMAT_WITHOUT_FIRST_HELD
                        + " to " + FORMAT);
            }
            LogAnchor anchor = new LogAnchor(in.i64(), in.i64(), in.i32());
            RaftMeta raft = new RaftMeta(in.i64(), in.i64(), in.bytes());
            long firstHeld = format == FORMAT_WITHOUT_FIRST_HELD ? 1 : in.varint();
            OffsetIndex offsets = readRuns(in);
            offsets.restoreFirstHeld(firstHeld);
            EventStateMachine state = new EventStateMachine(idempotencyLimits);
            String[] streams = readStreams(in, state, anchor.offset(), format == FORMAT);
            readRemembered(in, state, streams);
            in.requireEnd();
            state.restoreLastOffset(anchor.offset());
            if (anchor.isHeld() ? offsets.lastOffset() != anchor.offset() || offsets.lastQueueIndex() != anchor.queueIndex()
                    : offsets.lastOffset() >= 0) {
                throw new IllegalStateException("the offset index ends at offset " + offsets.lastOffset()
                        + ", not at the anchor " + anchor);
            }
            return new RestoredCheckpoint(anchor, raft, state, offsets);
        } catch (IllegalStateException | IndexOutOfBoundsException | ArithmeticException e) {
            throw new UnusableCheckpointException(Reason.CORRUPT, e.getMessage());
        }
    }

    private static OffsetIndex readRuns(ChecksummedInput in) throws IOException {
        OffsetIndex offsets = new OffsetIndex();
        long count = in.varint();
        for (long i = 0; i < count; i++) {
            long first = in.varint();
            long firstQueueIndex = in.i64();
            offsets.addRun(new OffsetIndex.Run(first, firstQueueIndex, first + in.varint()));
        }
        return offsets;
    }

    /** Restores every stream; returns their names by position. */
    private static String[] readStreams(ChecksummedInput in, EventStateMachine state, long lastOffset, boolean runs)
            throws IOException {
        String[] names = new String[Math.toIntExact(in.varint())];
        long[] batch = new long[RESTORE_BATCH];
        for (int s = 0; s < names.length; s++) {
            names[s] = new String(in.bytes(), StandardCharsets.UTF_8);
            long versions = in.varint();
            long offset = 0;
            int filled = 0;
            long v = 0;
            while (v < versions) {
                long gap;
                long length;
                if (runs) {
                    long tagged = in.varint();
                    gap = tagged >>> 1;
                    length = (tagged & 1) == 0 ? 1 : in.varint() + 2;
                } else {
                    gap = in.varint();
                    length = 1;
                }
                if (gap < 1 || length < 1 || length > versions - v) {
                    throw new IllegalStateException("stream " + names[s] + " has a run of " + length
                            + " offsets after a gap of " + gap + " at version " + v + " of " + versions);
                }
                offset += gap;
                for (long i = 0; i < length; i++, v++) {
                    batch[filled++] = offset + i;
                    if (filled == batch.length || v == versions - 1) {
                        state.restoreVersions(names[s], batch, filled);
                        filled = 0;
                    }
                }
                offset += length - 1;
            }
            if (offset > lastOffset) {
                throw new IllegalStateException("stream " + names[s] + " has offset " + offset + " past the anchor's "
                        + lastOffset);
            }
        }
        return names;
    }

    private static void readRemembered(ChecksummedInput in, EventStateMachine state, String[] streams)
            throws IOException {
        long count = in.varint();
        for (long i = 0; i < count; i++) {
            String stream = streams[Math.toIntExact(in.varint())];
            String key = new String(in.bytes(), StandardCharsets.UTF_8);
            long offset = in.varint();
            long version = in.varint();
            int size = Math.toIntExact(in.varint());
            AppendResult result = new AppendResult(stream, offset, version, offset - (size - 1), version - (size - 1),
                    size);
            state.restoreRemembered(new RememberedAppend(key, result, in.i64()));
        }
    }

    private static boolean isReadable(int format) {
        return format >= FORMAT_WITHOUT_FIRST_HELD && format <= FORMAT;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

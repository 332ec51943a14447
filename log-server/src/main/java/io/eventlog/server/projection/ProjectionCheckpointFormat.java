package io.eventlog.server.projection;

import io.eventlog.server.checkpoint.ChecksummedInput;
import io.eventlog.server.checkpoint.ChecksummedOutput;
import io.eventlog.server.checkpoint.UnusableCheckpointException;
import io.eventlog.server.checkpoint.UnusableCheckpointException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A projection's checkpoint file, format 1: the state and the offset it reflects in one file, so they
 * are saved (and lost) together. Numbers little-endian, {@code bytes} a varint length and the bytes:
 * <pre>
 * header     magic "EVPJ"  format:u8 (1)
 * definition name:bytes version:varint selection:bytes    (UTF-8; selection as EntrySelection.key())
 * state      offset:i64 state:bytes                        (the codec's encoding)
 * checksum   crc32c:i32 over every byte before it
 * </pre>
 */
final class ProjectionCheckpointFormat {
    private static final int MAGIC = 'E' | 'V' << 8 | 'P' << 16 | 'J' << 24;
    private static final int FORMAT = 1;

    /** A checkpoint as stored: which definition wrote it, the offset, and the encoded state. */
    record Stored(String name, int version, String selection, long offset, byte[] state) {

        boolean writtenBy(Projection<?> projection) {
            return version == projection.version() && selection.equals(projection.selection().key());
        }

        String definition() {
            return "version " + version + " selecting " + selection;
        }
    }

    private ProjectionCheckpointFormat() {
    }

    static void write(Stored stored, WritableByteChannel channel) throws IOException {
        ChecksummedOutput out = new ChecksummedOutput(channel);
        out.i32(MAGIC);
        out.u8(FORMAT);
        out.bytes(stored.name().getBytes(StandardCharsets.UTF_8));
        out.varint(stored.version());
        out.bytes(stored.selection().getBytes(StandardCharsets.UTF_8));
        out.i64(stored.offset());
        out.bytes(stored.state());
        out.finish();
    }

    /** Reads a checkpoint once its checksum matches; anything damaged or of another format is {@link Reason#CORRUPT}. */
    static Stored read(FileChannel channel) throws IOException, UnusableCheckpointException {
        ChecksummedInput in = ChecksummedInput.open(channel);
        try {
            if (in.i32() != MAGIC) {
                throw new IllegalStateException("not a projection checkpoint (magic)");
            }
            int format = in.u8();
            if (format != FORMAT) {
                throw new IllegalStateException("format " + format + ", this version reads " + FORMAT);
            }
            String name = new String(in.bytes(), StandardCharsets.UTF_8);
            int version = Math.toIntExact(in.varint());
            String selection = new String(in.bytes(), StandardCharsets.UTF_8);
            long offset = in.i64();
            byte[] state = in.bytes();
            in.requireEnd();
            return new Stored(name, version, selection, offset, state);
        } catch (IllegalStateException | ArithmeticException e) {
            throw new UnusableCheckpointException(Reason.CORRUPT, e.getMessage());
        }
    }
}

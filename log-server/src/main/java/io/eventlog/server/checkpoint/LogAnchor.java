package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordFrame;
import io.eventlog.server.storage.RecordKind;
import java.util.zip.CRC32C;

/**
 * The record a checkpoint ends on: its offset, the queue index where this node stores it, and a
 * checksum of its payload. Replay after the checkpoint starts with the record after it. At start-up
 * the log must still hold that very record there; otherwise the checkpoint describes entries this
 * log no longer has (a log restored from an older copy, or cut back past it).
 */
public record LogAnchor(long offset, long queueIndex, int checksum) {

    /**
     * The anchor of a checkpoint whose entries this node does not hold at all (a Raft snapshot received
     * from the leader): the state ends at {@code offset}, and the log holds nothing up to it.
     */
    public static LogAnchor notHeld(long offset) {
        return new LogAnchor(offset, -1, 0);
    }

    /** False for {@link #notHeld}: there is no record to check. */
    public boolean isHeld() {
        return queueIndex >= 0;
    }

    /** The anchor of the event record at {@code queueIndex}, which holds {@code offset}. */
    public static LogAnchor of(LogReader reader, long offset, long queueIndex) {
        RecordFrame frame = frameAt(reader, queueIndex);
        if (frame == null || frame.kind() != RecordKind.EVENT || frame.offset() != offset) {
            throw new IllegalStateException("queue index " + Long.toHexString(queueIndex) + " does not hold the event"
                    + " at offset " + offset + " that the offset index places there");
        }
        return new LogAnchor(offset, queueIndex, checksum(frame));
    }

    /**
     * Why the log does not hold this anchor's record at its queue index, or null when it does: the
     * reader then stands right after it, where replay goes on.
     */
    public String mismatch(LogReader reader) {
        if (!isHeld()) {
            return null;
        }
        RecordFrame frame = frameAt(reader, queueIndex);
        if (frame == null) {
            return "the log has no readable record at queue index " + Long.toHexString(queueIndex);
        }
        if (frame.kind() != RecordKind.EVENT || frame.offset() != offset) {
            return "queue index " + Long.toHexString(queueIndex) + " holds a " + frame.kind() + " record at offset "
                    + frame.offset() + ", not the event at offset " + offset;
        }
        if (checksum(frame) != checksum) {
            return "queue index " + Long.toHexString(queueIndex) + " holds another event at offset " + offset
                    + " (its checksum differs)";
        }
        return null;
    }

    private static RecordFrame frameAt(LogReader reader, long queueIndex) {
        try {
            reader.moveTo(queueIndex);
        } catch (IllegalStateException notInLog) {
            return null;
        }
        LogReader.FrameExcerpt excerpt = reader.nextFrame();
        return excerpt == null || excerpt.queueIndex() != queueIndex ? null : excerpt.frame();
    }

    private static int checksum(RecordFrame frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame.payload());
        return (int) crc.getValue();
    }
}

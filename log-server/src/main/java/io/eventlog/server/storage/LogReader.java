package io.eventlog.server.storage;

import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads raw records from the queue in queue order. Chronicle tailers are bound to one thread at a
 * time: whoever moves a reader to another thread calls {@link #bindToCurrentThread()} first.
 */
public final class LogReader implements ThreadBound {
    /** What {@link #next} found: the record and where it is stored, or a corrupt excerpt (record null). */
    public record Excerpt(long queueIndex, StoredRecord record, String corruption) {
        public boolean isCorrupt() {
            return record == null;
        }
    }

    /** What {@link #nextFrame} found: a checked record with its payload unparsed, or a corrupt excerpt (frame null). */
    public record FrameExcerpt(long queueIndex, RecordFrame frame, String corruption) {
        public boolean isCorrupt() {
            return frame == null;
        }
    }

    /** What a reader does with the excerpt it has just read. */
    public enum Verdict {
        /** Return it. */
        SERVE,
        /** Pass over it and read on. */
        SKIP,
        /** Leave it unread and return null: it may be served later. */
        WAIT
    }

    /** Judges each excerpt as it is read. */
    @FunctionalInterface
    public interface ExcerptFilter {
        Verdict judge(Excerpt excerpt);
    }

    /** Parses an excerpt's bytes. */
    @FunctionalInterface
    private interface Decoder<T> {
        T decode(byte[] bytes, int length) throws CorruptRecordException;
    }

    /** Makes what a read returns: the excerpt's queue index and either what it decoded to or why it is corrupt. */
    @FunctionalInterface
    private interface Result<T, R> {
        R of(long queueIndex, T decoded, String corruption);
    }

    /** Serves every excerpt, corrupt ones included. */
    public static final ExcerptFilter EVERYTHING = excerpt -> Verdict.SERVE;

    private final ExcerptTailer tailer;
    private final LongAdder excerptsRead;
    private byte[] buffer = new byte[4096];

    LogReader(ExcerptTailer tailer, LongAdder excerptsRead) {
        this.tailer = tailer;
        this.excerptsRead = excerptsRead;
    }

    @Override
    public void bindToCurrentThread() {
        tailer.singleThreadedCheckReset();
    }

    /** Positions the reader so that the next record read is the one at {@code queueIndex}. */
    public void moveTo(long queueIndex) {
        if (tailer.index() != queueIndex && !tailer.moveToIndex(queueIndex)) {
            throw new IllegalStateException("queue index " + Long.toHexString(queueIndex) + " is not in the log");
        }
    }

    public void toStart() {
        tailer.toStart();
    }

    /** The queue index the next read would return. */
    public long nextIndex() {
        return tailer.index();
    }

    /**
     * Reads on until the filter serves an excerpt, and returns it; returns null at the end of what is
     * written, or when the filter says to wait (that excerpt is then left unread).
     */
    public Excerpt next(ExcerptFilter filter) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                Excerpt excerpt = decode(dc, RecordCodec::decode, Excerpt::new);
                Verdict verdict = filter.judge(excerpt);
                if (verdict == Verdict.SERVE) {
                    return excerpt;
                }
                if (verdict == Verdict.WAIT) {
                    dc.rollbackOnClose();
                    return null;
                }
            }
        }
    }

    /** Reads the next excerpt without parsing its payload; returns null at the end of what is written. */
    public FrameExcerpt nextFrame() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            return decode(dc, RecordCodec::decodeFrame, FrameExcerpt::new);
        }
    }

    private <T, R> R decode(DocumentContext dc, Decoder<T> decoder, Result<T, R> result) {
        excerptsRead.increment();
        Bytes<?> bytes = dc.wire().bytes();
        int length = (int) bytes.readRemaining();
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        bytes.read(buffer, 0, length);
        try {
            return result.of(dc.index(), decoder.decode(buffer, length), null);
        } catch (CorruptRecordException e) {
            return result.of(dc.index(), null, e.getMessage());
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}

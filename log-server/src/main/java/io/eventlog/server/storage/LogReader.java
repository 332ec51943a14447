package io.eventlog.server.storage;

import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads raw records from the queue in queue order. Chronicle tailers are bound to one thread at a
 * time: whoever moves a reader to another thread calls {@link #bindToCurrentThread()} first.
 */
public final class LogReader implements AutoCloseable {
    /** What {@link #next} found: the record and where it is stored, or a corrupt excerpt. */
    public record Excerpt(long queueIndex, StoredRecord record, String corruption) {
        public boolean isCorrupt() {
            return record == null;
        }
    }

    private final ExcerptTailer tailer;
    private final LongAdder excerptsRead;
    private byte[] buffer = new byte[4096];

    LogReader(ExcerptTailer tailer, LongAdder excerptsRead) {
        this.tailer = tailer;
        this.excerptsRead = excerptsRead;
    }

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

    /**
     * Reads the next record, or returns null at the end of what is written, or when the next record's
     * offset is above {@code maxOffset} (it is then left unread).
     */
    public Excerpt next(long maxOffset) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            excerptsRead.increment();
            Bytes<?> bytes = dc.wire().bytes();
            int length = (int) bytes.readRemaining();
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            bytes.read(buffer, 0, length);
            StoredRecord record;
            try {
                record = RecordCodec.decode(buffer, length);
            } catch (CorruptRecordException e) {
                // A corrupt excerpt is consumed, never left in the way of the records after it.
                return new Excerpt(dc.index(), null, e.getMessage());
            }
            if (record.offset() > maxOffset) {
                dc.rollbackOnClose();
                return null;
            }
            return new Excerpt(dc.index(), record, null);
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}

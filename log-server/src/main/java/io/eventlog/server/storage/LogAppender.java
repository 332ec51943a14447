package io.eventlog.server.storage;

import java.nio.ByteBuffer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;

/** Writes encoded records to the queue; confined to the writer thread. */
public final class LogAppender implements ThreadBound {
    private final ExcerptAppender appender;
    /**
     * Off-heap staging for one record: Chronicle copies an off-heap source into the queue's mapped memory
     * in one block, but a heap one eight bytes at a time, with checks around each.
     */
    private final Bytes<Void> staging = Bytes.allocateElasticDirect(4096);
    /** Only when syncs are msyncs (durability fsync); null otherwise. */
    private final SyncRunway runway;

    LogAppender(ExcerptAppender appender, boolean msync) {
        this.appender = appender;
        this.runway = msync ? new SyncRunway() : null;
    }

    @Override
    public void bindToCurrentThread() {
        appender.singleThreadedCheckReset();
        staging.singleThreadedCheckReset();
    }

    /**
     * Appends {@code length} bytes of {@code record} from its position 0 and returns the queue index.
     *
     * <p>One excerpt through {@code writeBytes}, not {@code writingDocument}: this appender is the queue's
     * only writer, and {@code writingDocument} looks the queue's last sequence number up again in the
     * index before every excerpt (a scan that was a fifth of a raw append's time in the JMH profile),
     * while {@code writeBytes} does so only when another appender moved the queue's end.
     */
    public long append(ByteBuffer record, int length) {
        staging.clear();
        staging.write(record.array(), record.arrayOffset(), length);
        appender.writeBytes(staging);
        return appender.lastIndexAppended();
    }

    public long append(byte[] record) {
        return append(ByteBuffer.wrap(record), record.length);
    }

    /** Makes everything appended so far durable (msync), when the queue was opened for it. */
    public void sync() {
        appender.sync();
        if (runway != null && appender.wire() != null) {
            runway.extend(appender.currentFile(), appender.wire().bytes().writePosition());
        }
    }

    @Override
    public void close() {
        if (runway != null) {
            runway.close();
        }
        staging.releaseLast();
        appender.close();
    }
}

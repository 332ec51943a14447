package io.eventlog.server.storage;

import java.nio.ByteBuffer;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/** Writes encoded records to the queue; confined to the writer thread. */
public final class LogAppender implements ThreadBound {
    private final ExcerptAppender appender;

    LogAppender(ExcerptAppender appender) {
        this.appender = appender;
    }

    @Override
    public void bindToCurrentThread() {
        appender.singleThreadedCheckReset();
    }

    /** Appends {@code length} bytes of {@code record} from its position 0 and returns the queue index. */
    public long append(ByteBuffer record, int length) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record.array(), record.arrayOffset(), length);
        }
        return appender.lastIndexAppended();
    }

    public long append(byte[] record) {
        return append(ByteBuffer.wrap(record), record.length);
    }

    /** Makes everything appended so far durable (msync), when the queue was opened for it. */
    public void sync() {
        appender.sync();
    }

    @Override
    public void close() {
        appender.close();
    }
}

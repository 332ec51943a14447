package io.eventlog.server.storage;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
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
    private final Consumer<Path> directorySync;
    /** The cycle file whose directory entry is known to be durable (fsync mode). */
    private File fileInDirectory;

    LogAppender(ExcerptAppender appender, boolean msync) {
        this(appender, msync, Fsync::directory);
    }

    /** @param directorySync fsyncs a directory (a test sees when) */
    LogAppender(ExcerptAppender appender, boolean msync, Consumer<Path> directorySync) {
        this.appender = appender;
        this.runway = msync ? new SyncRunway() : null;
        this.directorySync = directorySync;
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

    /**
     * Makes everything appended so far durable, when the queue was opened for it: msyncs the records, and
     * the first time they are in a new cycle file, fsyncs the queue's directory (msync makes the file's
     * blocks durable, not its name: without that, a power loss right after the roll could lose the file).
     */
    public void sync() {
        appender.sync();
        if (runway == null || appender.wire() == null) {
            return;
        }
        File file = appender.currentFile();
        if (!file.equals(fileInDirectory)) {
            directorySync.accept(file.toPath().getParent());
            fileInDirectory = file;
        }
        runway.extend(file, appender.wire().bytes().writePosition());
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

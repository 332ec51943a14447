package io.eventlog.server.storage;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the disk blocks just past the log's end allocated and written, for durability fsync.
 *
 * <p>Chronicle's cycle files are sparse. An msync that writes records into a hole makes the file
 * system allocate blocks, and then the sync writes the file's metadata as well as the data: under
 * sustained fsync load that made each group commit's msync about twice as slow on the project's
 * machines (benchmarks/README.md, "fsync"). So after each sync the appender writes zeros over the next
 * {@link #AHEAD} bytes past the end of the log, a {@link #STEP} at a time, and a background thread
 * fdatasyncs them: when records land there, their blocks exist and an msync writes data only.
 *
 * <p>No record is ever overwritten: only whole pages after the page holding the log's end are
 * written, by the appender's own thread between appends, and Chronicle writes nothing past its write
 * position until the next append. The zeros are what a hole reads as anyway. The runway is an
 * optimisation only: should a write or sync of it fail (a full disk), it stops, and appends go on
 * as before. Its cost: up to {@link #AHEAD} of disk per cycle file beyond what the records need.
 */
final class SyncRunway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRunway.class);
    static final int PAGE = 4096;
    /**
     * Far enough ahead for the background sync of a step to finish long before the log reaches it (at
     * 50,000 appends/s of 160-byte records the log moves 2 MiB in 250 ms), and small, because what is
     * left of the runway when the queue rolls to a new file stays allocated in the old one.
     */
    static final long AHEAD = 2L << 20;
    static final int STEP = 256 << 10;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(STEP);
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "eventlog-sync-runway");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private File file;
    private FileChannel channel;
    private long preparedUpTo;
    private volatile boolean stopped;

    /**
     * Called by the appender's thread after a sync: {@code end} is the position just past the last
     * record written to {@code file}. Writes at most one {@link #STEP} of zeros.
     */
    void extend(File file, long end) {
        if (stopped || file == null) {
            return;
        }
        try {
            if (!file.equals(this.file)) {
                switchTo(file);
            }
            long from = Math.max(preparedUpTo, firstPageAfter(end));
            if (from >= end + AHEAD) {
                return;
            }
            long to = Math.min(from + STEP, channel.size());
            if (to <= from) {
                return;
            }
            zeros.clear().limit((int) (to - from));
            while (zeros.hasRemaining()) {
                channel.write(zeros, from + zeros.position());
            }
            preparedUpTo = to;
            syncInBackground(channel);
        } catch (IOException | RuntimeException e) {
            stop(e);
        }
    }

    /** The first byte of the page after the one holding {@code position}. */
    static long firstPageAfter(long position) {
        return (position / PAGE + 1) * PAGE;
    }

    private void switchTo(File next) throws IOException {
        FileChannel previous = channel;
        if (previous != null) {
            background.execute(() -> closeQuietly(previous));
        }
        file = next;
        channel = FileChannel.open(next.toPath(), StandardOpenOption.WRITE);
        preparedUpTo = 0;
    }

    private void syncInBackground(FileChannel target) {
        if (syncPending.compareAndSet(false, true)) {
            background.execute(() -> {
                syncPending.set(false);
                try {
                    target.force(false);
                } catch (IOException | RuntimeException e) {
                    stop(e);
                }
            });
        }
    }

    private void stop(Exception cause) {
        if (!stopped) {
            stopped = true;
            LOG.warn("stopped writing ahead of the log's end for fsync ({}); appends go on, their syncs may be slower",
                    cause.toString());
        }
    }

    @Override
    public void close() {
        stopped = true;
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a cycle file's channel", e);
        }
    }
}

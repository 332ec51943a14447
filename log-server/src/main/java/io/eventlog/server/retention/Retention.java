package io.eventlog.server.retention;

import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.CycleFile;
import io.eventlog.server.storage.OffsetIndex;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the log's oldest queue files as {@link RetentionConfig} says, never the file holding the
 * queue index {@code keepFrom} gives (the first record a checkpoint or the Raft log still needs) nor
 * any after it. Readers are told first: the offset index forgets the deleted offsets, so a reader
 * asking for one, or standing on one, gets 410 {@code offset_expired} and closes its tailer, which
 * frees the file's space (a deleted file's space stays allocated while a reader still maps it).
 *
 * <p>Runs on the thread that owns the offset index (the writer, or the Raft thread).
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final ChronicleLog log;
    private final OffsetIndex offsets;
    private final RetentionConfig config;
    private final LongSupplier keepFrom;
    private final Runnable beforeDelete;
    private final Runnable afterDelete;
    private long nextCheckNanos = System.nanoTime();

    /**
     * @param keepFrom     the queue index of the first record that must stay, or -1 when nothing may go yet
     * @param beforeDelete runs before files are deleted (a cluster member compacts its Raft log to its newest
     *                     checkpoint, so that nothing before it is sent to followers as entries)
     * @param afterDelete  runs after files are deleted: wakes the readers, so a paused one standing in a
     *                     deleted file learns its position expired and unmaps the file
     */
    public Retention(ChronicleLog log, OffsetIndex offsets, RetentionConfig config, LongSupplier keepFrom,
                     Runnable beforeDelete, Runnable afterDelete) {
        this.log = log;
        this.offsets = offsets;
        this.config = config;
        this.keepFrom = keepFrom;
        this.beforeDelete = beforeDelete;
        this.afterDelete = afterDelete;
    }

    /** Called often by the owning thread: applies the limits once per check interval. */
    public void maybeRun() {
        if (!config.enabled() || System.nanoTime() - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = System.nanoTime() + config.checkInterval().toNanos();
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("retention failed; it tries again in {}: {}", config.checkInterval(), e.toString());
        }
    }

    private void run() {
        long keep = keepFrom.getAsLong();
        if (keep < 0) {
            return;
        }
        List<CycleFile> files = log.cycleFiles();
        List<CycleFile> doomed = toDelete(files, log.cycleOf(keep), config, Instant.now());
        if (doomed.isEmpty()) {
            return;
        }
        beforeDelete.run();
        offsets.dropBelowQueueIndex(files.get(doomed.size()).firstQueueIndex());
        log.delete(doomed);
        afterDelete.run();
        LOG.info("retention deleted {} queue files ({} MiB, up to {}): the log is held from offset {} on",
                doomed.size(), doomed.stream().mapToLong(CycleFile::bytes).sum() >> 20,
                doomed.get(doomed.size() - 1).file().getFileName(), offsets.firstHeldOffset());
    }

    /**
     * The files to delete: the oldest ones, in order, while they are older than the age limit or the
     * files are over the size limit; never the last file (being written) nor one of cycle
     * {@code keptCycle} or later.
     */
    static List<CycleFile> toDelete(List<CycleFile> files, int keptCycle, RetentionConfig config, Instant now) {
        long total = files.stream().mapToLong(CycleFile::bytes).sum();
        Instant oldestKept = config.maxAge().isZero() ? Instant.MIN : now.minus(config.maxAge());
        int count = 0;
        while (count < files.size() - 1 && files.get(count).cycle() < keptCycle) {
            CycleFile file = files.get(count);
            boolean tooOld = file.lastModified().isBefore(oldestKept);
            boolean overSize = config.maxBytes() > 0 && total > config.maxBytes();
            if (!tooOld && !overSize) {
                break;
            }
            total -= file.bytes();
            count++;
        }
        return files.subList(0, count);
    }
}

package io.eventlog.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** The Chronicle Queue that holds the log's records, in {@code <data>/log}. */
public final class ChronicleLog implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final boolean msync;
    private final LongAdder excerptsRead = new LongAdder();

    private ChronicleLog(SingleChronicleQueue queue, boolean msync) {
        this.queue = queue;
        this.msync = msync;
    }

    /**
     * @param msync when true, {@link LogAppender#sync()} makes written records durable with msync(MS_SYNC)
     */
    public static ChronicleLog open(Path dataDir, RollCycle rollCycle, boolean msync) {
        Path directory = dataDir.resolve("log");
        Fsync.createDirectory(directory);
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(rollCycle)
                .syncMode(msync ? SyncMode.SYNC : SyncMode.NONE)
                // A writer killed mid-excerpt leaves its header locked; recover it quickly at start-up.
                .timeoutMS(1_000)
                .build();
        return new ChronicleLog(queue, msync);
    }

    /** The log's single appender; use it from one thread only. */
    public LogAppender createAppender() {
        return new LogAppender(queue.createAppender(), msync);
    }

    /** A new reader positioned at the start; use it from one thread at a time. */
    public LogReader createReader() {
        return new LogReader(queue.createTailer(), excerptsRead);
    }

    /**
     * Makes every record written so far durable, whatever the durability: fsyncs the queue's files
     * (pages the appender wrote through its mapping included) and its directory. Callable from any
     * thread; cheap for files with nothing left to write.
     */
    public void syncFiles() {
        Path directory = queue.file().toPath();
        List<Path> files;
        try (var listing = Files.list(directory)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.forEach(Fsync::file);
        Fsync.directory(directory);
    }

    /** The queue's files, oldest first, the one being written last. */
    public List<CycleFile> cycleFiles() {
        queue.refreshDirectoryListing();
        DateTimeFormatter names = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
        long cycleMillis = queue.rollCycle().lengthInMillis();
        List<CycleFile> files = new ArrayList<>();
        for (long cycle : queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle())) {
            Path file = queue.file().toPath().resolve(names.format(Instant.ofEpochMilli(cycle * cycleMillis))
                    + SingleChronicleQueue.SUFFIX);
            try {
                files.add(new CycleFile((int) cycle, file, Files.size(file), Files.getLastModifiedTime(file).toInstant(),
                        queue.rollCycle().toIndex((int) cycle, 0)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the attributes of " + file, e);
            }
        }
        return files;
    }

    /**
     * The queue index where the oldest file still there starts (0 for an empty queue): retention may
     * have deleted the files before it, whose offsets a checkpoint may still name.
     */
    public long firstQueueIndex() {
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        return first == Integer.MAX_VALUE ? 0 : queue.rollCycle().toIndex(first, 0);
    }

    /** The roll cycle holding {@code queueIndex}. */
    public int cycleOf(long queueIndex) {
        return queue.rollCycle().toCycle(queueIndex);
    }

    /**
     * Deletes old files of the queue (never the one being written) and makes the queue forget them.
     * Readers must no longer look there: the space of a file a reader still maps is freed when it closes.
     */
    public void delete(List<CycleFile> files) {
        for (CycleFile file : files) {
            if (file.cycle() >= queue.lastCycle()) {
                throw new IllegalArgumentException(file.file() + " is the file being written");
            }
            try {
                Files.deleteIfExists(file.file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file.file(), e);
            }
        }
        queue.refreshDirectoryListing();
    }

    /** Excerpts read by all readers so far: the log's read amplification, as a metric. */
    public long excerptsRead() {
        return excerptsRead.sum();
    }

    @Override
    public void close() {
        queue.close();
    }
}

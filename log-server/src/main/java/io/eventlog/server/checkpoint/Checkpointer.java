package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.StateSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a single node's checkpoints: when {@link CheckpointConfig} says so, on request, and on close.
 *
 * <p>A checkpoint must be of a state that existed at one offset, and the writer thread owns the
 * state. So the writer calls {@link #betweenGroups()} after each group (and when idle): if a
 * checkpoint is due, it copies what is needed there (cheap: see {@link EventStateMachine#snapshot()})
 * and a background thread does the rest: it syncs the log (a checkpoint never covers entries a power
 * loss could take away), reads the anchor record, encodes and writes the file. One write at a time;
 * what is due meanwhile waits for the next group.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** After a failed write, automatic checkpoints wait this long (a full disk must not be retried after every group). */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What the writer copied: the state, the offset index, and how long the copy held the writer up. */
    private record Taken(StateSnapshot state, List<OffsetIndex.Run> runs, long firstHeldOffset, long stallNanos) {
    }

    private final CheckpointStore store;
    private final ChronicleLog log;
    private final EventStateMachine state;
    private final OffsetIndex offsets;
    private final CheckpointConfig config;
    private final Timer stall;
    private final Timer writes;
    private final ExecutorService background = CheckpointRequests.backgroundThread();
    private final CheckpointRequests requests = new CheckpointRequests();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile Checkpoint newest;
    private volatile long pausedUntilNanos = System.nanoTime();
    /** Writer thread only. */
    private long nextDueNanos;

    /**
     * @param newest the checkpoint the node started from, {@link Checkpoint#NONE} for none
     */
    public Checkpointer(CheckpointStore store, ChronicleLog log, EventStateMachine state, OffsetIndex offsets,
                        CheckpointConfig config, Checkpoint newest, MeterRegistry meters) {
        this.store = store;
        this.log = log;
        this.state = state;
        this.offsets = offsets;
        this.config = config;
        this.newest = newest;
        this.nextDueNanos = System.nanoTime() + config.interval().toNanos();
        this.stall = Timer.builder("eventlog.checkpoint.stall")
                .description("Time the writer spends copying the state for a checkpoint").register(meters);
        this.writes = Timer.builder("eventlog.checkpoint.write")
                .description("Time to sync the log and write a checkpoint, off the writer").register(meters);
    }

    /** A checkpoint of the state as it is when the writer next stands between groups (or the newest, if nothing is new). */
    public CompletableFuture<Checkpoint> request() {
        return requests.request();
    }

    /** Called by the writer thread between groups: starts a checkpoint when one is due or requested. */
    public void betweenGroups() {
        if (writing.get()) {
            return;
        }
        long now = System.nanoTime();
        long uncovered = state.lastOffset() - newest.offset();
        boolean due = uncovered > 0 && now - pausedUntilNanos >= 0
                && (uncovered >= config.everyEntries() || now - nextDueNanos >= 0);
        if (!due && requests.isEmpty()) {
            return;
        }
        List<CompletableFuture<Checkpoint>> waiting = requests.drain();
        if (uncovered <= 0) {
            waiting.forEach(request -> request.complete(newest));
            return;
        }
        nextDueNanos = now + config.interval().toNanos();
        Taken taken;
        try {
            taken = take();
        } catch (RuntimeException e) {
            failed(waiting, e);
            return;
        }
        writing.set(true);
        background.execute(() -> {
            try {
                complete(waiting, write(taken));
            } catch (RuntimeException | IOException e) {
                failed(waiting, e);
            } finally {
                writing.set(false);
            }
        });
    }

    private void failed(List<CompletableFuture<Checkpoint>> waiting, Exception e) {
        pausedUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
        LOG.error("a checkpoint failed", e);
        waiting.forEach(request -> request.completeExceptionally(e));
    }

    /**
     * Writes a last checkpoint, on the calling thread, once the writer has stopped: whatever the
     * writer left uncovered, so that the next start has nothing to replay. Answers waiting requests.
     */
    @Override
    public void close() {
        background.shutdown();
        List<CompletableFuture<Checkpoint>> waiting = requests.close();
        try {
            if (!background.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException("the checkpoint being written has not finished after a minute");
            }
            Checkpoint last = state.lastOffset() > newest.offset() ? write(take()) : newest;
            complete(waiting, last);
        } catch (RuntimeException | IOException e) {
            LOG.warn("no checkpoint at close: {}", e.toString());
            waiting.forEach(request -> request.completeExceptionally(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiting.forEach(request -> request.completeExceptionally(e));
        }
    }

    /** Copies the state on the thread that owns it. */
    private Taken take() {
        if (offsets.lastOffset() != state.lastOffset()) {
            throw new IllegalStateException("the offset index ends at " + offsets.lastOffset() + " and the state at "
                    + state.lastOffset() + ": not between whole appends");
        }
        long started = System.nanoTime();
        StateSnapshot snapshot = state.snapshot();
        List<OffsetIndex.Run> runs = offsets.runs();
        long stallNanos = System.nanoTime() - started;
        stall.record(stallNanos, TimeUnit.NANOSECONDS);
        return new Taken(snapshot, runs, offsets.firstHeldOffset(), stallNanos);
    }

    private Checkpoint write(Taken taken) throws IOException {
        long started = System.nanoTime();
        log.syncFiles();
        long offset = taken.state().lastOffset();
        LogAnchor anchor;
        try (LogReader reader = log.createReader()) {
            anchor = LogAnchor.of(reader, offset, taken.runs().get(taken.runs().size() - 1).lastQueueIndex());
        }
        CheckpointData data = new CheckpointData(anchor, RaftMeta.NONE, taken.state(), taken.runs(),
                taken.firstHeldOffset());
        Checkpoint written = store.write(offset, channel -> CheckpointCodec.write(data, channel));
        long writeNanos = System.nanoTime() - started;
        writes.record(writeNanos, TimeUnit.NANOSECONDS);
        newest = written;
        LOG.info("checkpoint at offset {} written to {} ({} streams, {} remembered appends): the writer paused {} ms"
                        + " for the copy, writing took {} ms", offset, written.file(), taken.state().streams().size(),
                taken.state().remembered().size(), millis(taken.stallNanos()), millis(writeNanos));
        return written;
    }

    private static void complete(List<CompletableFuture<Checkpoint>> waiting, Checkpoint checkpoint) {
        waiting.forEach(request -> request.complete(checkpoint));
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}

package io.eventlog.server.projection;

import io.eventlog.api.Entry;
import io.eventlog.api.EventLog;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A running projection: it folds the committed entries after its starting point, on its own thread,
 * and checkpoints its state with the offset it reflects. Reads ({@link #current()}, {@link #state()})
 * are of an immutable value and never wait.
 *
 * <p>One thread ({@code projection-<name>}) folds, writes every checkpoint and emits every change, so
 * a checkpoint is always of a state that existed at one offset, and no two writes overlap. A fold that
 * throws stops the projection ({@link #failure()}): the state stays the last whole one and no checkpoint
 * is written after that.
 */
public final class ProjectionHandle<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionHandle.class);
    /** Entries handed from the log's reader to the projection's thread at a time. */
    private static final int PREFETCH = 256;

    private final Projection<S> projection;
    private final CheckpointConfig config;
    private final Runnable release;
    private final Checkpoint startedFrom;
    private final Scheduler thread;
    private final OffsetWaiters<S> waiters = new OffsetWaiters<>();
    private final Sinks.Many<FoldedState<S>> changes = Sinks.many().replay().latest();
    private final AtomicLong foldedSinceStart = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The log's subscription and the periodic checkpoint; disposing it also disposes what is added later. */
    private final Disposable.Composite running = Disposables.composite();
    private final ProjectionMetrics metrics;
    private volatile FoldedState<S> current;
    private volatile ProjectionFailedException failure;
    private final ProjectionCheckpointer<S> checkpointer;

    private ProjectionHandle(Projection<S> projection, ProjectionCheckpoints checkpoints, CheckpointConfig config,
                             ProjectionCheckpoints.Resumed<S> resumed, MeterRegistry meters, Runnable release) {
        this.projection = projection;
        this.config = config;
        this.release = release;
        this.startedFrom = resumed.checkpoint();
        this.current = resumed.folded();
        this.thread = Schedulers.newSingle("projection-" + projection.name(), true);
        changes.tryEmitNext(current);
        this.metrics = ProjectionMetrics.register(meters, this); // after current: its gauges read this handle
        this.checkpointer = new ProjectionCheckpointer<>(projection, checkpoints, config.everyEntries(), metrics,
                resumed);
    }

    /**
     * Resumes from the newest usable checkpoint and follows the log from the offset after it.
     *
     * @param logEnd the log's last offset when it is known to be complete (a single node), else
     *               {@link Long#MAX_VALUE}: a checkpoint past it reflects entries the log lost
     */
    static <S> ProjectionHandle<S> start(EventLog log, long logEnd, Projection<S> projection,
                                         ProjectionCheckpoints checkpoints, CheckpointConfig config,
                                         MeterRegistry meters, Runnable release) {
        ProjectionCheckpoints.Resumed<S> resumed = checkpoints.resume(projection, logEnd);
        LOG.info("projection {} (version {}, selecting {}): {}", projection.name(), projection.version(),
                projection.selection(), resumed.checkpoint() == Checkpoint.NONE
                        ? "no checkpoint, folding from the start of the log"
                        : "resuming from checkpoint " + resumed.checkpoint().file() + ", folding the entries after offset "
                                + resumed.folded().offset());
        ProjectionHandle<S> handle = new ProjectionHandle<>(projection, checkpoints, config, resumed, meters, release);
        handle.follow(log);
        return handle;
    }

    private void follow(EventLog log) {
        long intervalMillis = Math.max(1, config.interval().toMillis());
        running.add(thread.schedulePeriodically(this::checkpointWhenDue, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS));
        running.add(log.subscribe(SubscribeRequest.log(current.offset() + 1))
                .publishOn(thread, PREFETCH)
                .subscribe(this::take, this::logFailed, this::logEnded));
    }

    public Projection<S> projection() {
        return projection;
    }

    /** The state and the offset it reflects, read together. */
    public FoldedState<S> current() {
        return current;
    }

    /** The current state (an immutable value: do not change it). */
    public S state() {
        return current.state();
    }

    /** The global offset the state reflects: every selected entry up to it is folded in, none after. */
    public long offset() {
        return current.offset();
    }

    /**
     * Completes with the state once it reflects {@code offset}, e.g. the offset an append returned
     * (read-your-writes). Fails if the projection stops first. It does not time out by itself: use
     * {@code .block(timeout)} or {@code .timeout(...)}. An offset that is a gap in the log (Raft no-op and
     * membership entries have one) is reached with the next entry after it. Signals arrive on a
     * {@link Schedulers#boundedElastic()} thread, never on the projection's.
     */
    public Mono<FoldedState<S>> awaitOffset(long offset) {
        return waiters.await(offset, this::current).publishOn(Schedulers.boundedElastic());
    }

    /**
     * The current state, then each new one as entries are folded (a subscriber too slow for every
     * state gets the latest). Ends when the projection is closed, with the error when it fails. Signals
     * arrive on a {@link Schedulers#boundedElastic()} thread: a subscriber never holds up the folding.
     */
    public Flux<FoldedState<S>> changes() {
        return changes.asFlux().onBackpressureLatest().publishOn(Schedulers.boundedElastic(), 1);
    }

    /**
     * Writes a checkpoint of the current state now; completes with it (the newest one when nothing was
     * folded since, {@link Checkpoint#NONE} when there is none).
     */
    public Mono<Checkpoint> checkpoint() {
        return Mono.defer(() -> {
            if (failure != null) {
                return Mono.error(new IllegalStateException("projection " + projection.name()
                        + " has failed: it writes no more checkpoints", failure));
            }
            if (closed.get()) {
                return Mono.error(new IllegalStateException("projection " + projection.name() + " is closed"));
            }
            return Mono.fromFuture(() -> onProjectionThread(() -> checkpointer.writeIfNew(current)));
        });
    }

    /** Why the projection stopped, or null while it runs. */
    public ProjectionFailedException failure() {
        return failure;
    }

    /** The checkpoint it started from ({@link Checkpoint#NONE}: it folded from the start of the log). */
    public Checkpoint startedFrom() {
        return startedFrom;
    }

    /** The newest checkpoint written or started from. */
    public Checkpoint newestCheckpoint() {
        return checkpointer.newest();
    }

    /** Entries the fold was applied to since this start (after a restart: only the tail after the checkpoint). */
    public long foldedSinceStart() {
        return foldedSinceStart.get();
    }

    /** Stops following the log, writes a last checkpoint (unless it failed) and frees the projection's name. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            onProjectionThread(() -> {
                running.dispose();
                finish();
                return null;
            }).get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("projection {}: closing did not finish: {}", projection.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.dispose();
            metrics.close();
            release.run();
        }
    }

    /**
     * Runs a task on the projection's thread, between two entries. Not through Reactor's subscribeOn:
     * cancelling that (a caller's timeout) interrupts the thread, which would close the checkpoint file
     * being written under it; a task here always runs to its end.
     */
    private <T> CompletableFuture<T> onProjectionThread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.schedule(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void take(Entry entry) {
        if (closed.get() || failure != null) {
            return;
        }
        FoldedState<S> before = current;
        if (projection.selection().includes(entry)) {
            S after;
            try {
                after = projection.fold().apply(before.state(), entry);
            } catch (RuntimeException | Error e) {
                fail(new ProjectionFailedException(projection.name(), entry.offset(), "its fold threw on the entry"
                        + " at offset " + entry.offset() + " (stream " + entry.stream() + ", version " + entry.version()
                        + "): " + e + "; its state stays at offset " + before.offset(), e));
                return;
            }
            if (after == null) {
                fail(new ProjectionFailedException(projection.name(), entry.offset(), "its fold returned null for"
                        + " the entry at offset " + entry.offset() + "; its state stays at offset " + before.offset(),
                        null));
                return;
            }
            current = new FoldedState<>(entry.offset(), after);
            foldedSinceStart.incrementAndGet();
            changes.tryEmitNext(current);
        } else {
            current = new FoldedState<>(entry.offset(), before.state());
        }
        waiters.reached(current);
        checkpointer.wentPast(current);
    }

    private void checkpointWhenDue() {
        if (!closed.get() && failure == null) {
            checkpointer.writeLoggingFailure(current);
        }
    }

    private void fail(ProjectionFailedException e) {
        failure = e;
        LOG.error(e.getMessage(), e.getCause());
        running.dispose();
        waiters.stop(e);
        changes.tryEmitError(e);
    }

    private void logFailed(Throwable e) {
        fail(new ProjectionFailedException(projection.name(), -1, "reading the log failed after offset "
                + current.offset() + ": " + e, e));
    }

    /** The log's subscription ends when the node closes: the projection ends with it. */
    private void logEnded() {
        LOG.info("projection {}: the node closed, stopping at offset {}", projection.name(), current.offset());
        finish();
    }

    /** On the projection's thread, once no more entries are taken: a last checkpoint, then the end. */
    private void finish() {
        if (failure == null) {
            checkpointer.writeLoggingFailure(current);
            waiters.stop(new IllegalStateException("projection " + projection.name() + " is closed at offset "
                    + current.offset()));
            changes.tryEmitComplete();
        }
    }
}

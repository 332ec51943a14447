package io.eventlog.server.subscribe;

import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.storage.StoredRecord;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Turns an {@link EntrySource} into a Flux that honours backpressure: entries are read from the log
 * only as the subscriber requests them, so a slow reader costs a reader position, not memory. All work
 * for one subscription runs as tasks on one scheduler worker (one thread), which keeps its Chronicle
 * tailer on one thread. A live Flux is woken by each commit; a bounded one completes when caught up.
 */
public final class EntryEmitter {
    /** Entries emitted per task before yielding the worker to other subscriptions. */
    private static final int ENTRIES_PER_TASK = 256;

    private final CommitNotifier commits;
    private final Scheduler scheduler;

    public EntryEmitter(CommitNotifier commits, Scheduler scheduler) {
        this.commits = commits;
        this.scheduler = scheduler;
    }

    /** Entries up to {@code limit}, completing early when the source has no more committed entries. */
    public Flux<Entry> bounded(Supplier<EntrySource> source, long limit) {
        return Flux.create(sink -> new Drain(sink, source, limit, false).start());
    }

    /** An endless Flux of entries: catch-up, then each new entry as it commits. */
    public Flux<Entry> live(Supplier<EntrySource> source) {
        return Flux.create(sink -> new Drain(sink, source, Long.MAX_VALUE, true).start());
    }

    private final class Drain {
        private final FluxSink<Entry> sink;
        private final Supplier<EntrySource> sourceFactory;
        private final long limit;
        private final boolean live;
        private final Scheduler.Worker worker = scheduler.createWorker();
        private final AtomicBoolean pending = new AtomicBoolean();
        private EntrySource source;
        private long emitted;
        private boolean done;

        Drain(FluxSink<Entry> sink, Supplier<EntrySource> sourceFactory, long limit, boolean live) {
            this.sink = sink;
            this.sourceFactory = sourceFactory;
            this.limit = limit;
            this.live = live;
        }

        void start() {
            AutoCloseable registration = live ? commits.register(this::schedule) : null;
            sink.onRequest(n -> schedule());
            sink.onDispose(() -> {
                close(registration);
                runOnWorker(this::finish);
            });
        }

        /** Posts a drain task unless one is already waiting; a notice during a drain posts another. */
        private void schedule() {
            if (pending.compareAndSet(false, true)) {
                runOnWorker(this::drain);
            }
        }

        private void drain() {
            pending.set(false);
            if (done || sink.isCancelled()) {
                return;
            }
            try {
                if (source == null) {
                    source = sourceFactory.get();
                }
                source.bindToCurrentThread();
                if (sink.requestedFromDownstream() == 0) {
                    source.requireNextHeld(); // woken without demand: only check its place still exists
                    return;
                }
                long committed = commits.committedOffset();
                int batch = 0;
                StoredRecord record = null;
                while (emitted < limit && batch < ENTRIES_PER_TASK && sink.requestedFromDownstream() > 0
                        && (record = source.next(committed)) != null) {
                    sink.next(record.toEntry());
                    emitted++;
                    batch++;
                }
                if (emitted >= limit || (!live && record == null && sink.requestedFromDownstream() > 0)) {
                    finish();
                    sink.complete();
                } else if (batch == ENTRIES_PER_TASK) {
                    schedule();
                }
            } catch (RuntimeException e) {
                finish();
                sink.error(e instanceof EventLogException ? e
                        : new EventLogException(ErrorCode.INTERNAL, "reading the log failed: " + e, e));
            }
        }

        private void finish() {
            if (!done) {
                done = true;
                if (source != null) {
                    source.bindToCurrentThread();
                    source.close();
                }
                worker.dispose();
            }
        }

        private void runOnWorker(Runnable task) {
            try {
                worker.schedule(task);
            } catch (RejectedExecutionException e) {
                // The worker is disposed: this subscription has finished.
            }
        }

        private void close(AutoCloseable registration) {
            if (registration != null) {
                try {
                    registration.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}

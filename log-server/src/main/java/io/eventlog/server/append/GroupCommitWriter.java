package io.eventlog.server.append;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.server.completion.CompletionRound;
import io.eventlog.server.storage.LogAppender;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.streams.AppendDecision;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.subscribe.CommitNotifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The log's one writer. Appends from any thread queue up; the writer thread takes all that are
 * waiting as one group, checks each against the state machine (so Expected-Version races are decided
 * in one place, in order), writes the accepted ones, makes the group durable as configured (one msync
 * for the group in fsync mode), publishes the new committed offset and acknowledges the group
 * together. Acknowledgements run on the caller's event loop (one task per loop and group), or on a
 * separate thread for other callers, so that no caller's code runs on the writer.
 * Between groups, and when idle, the writer runs a hook (the checkpointer): there the state is that
 * of whole appends, all committed.
 */
public final class GroupCommitWriter implements AppendSink {
    /** A group holds at most this many requests, so that one group's latency stays bounded. */
    private static final int MAX_GROUP_REQUESTS = 4096;
    /** How long the writer waits for appends before it runs the idle hook. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Supplier<LogAppender> appenderFactory;
    private final AppendedRuns appendedRuns;
    private final EventStateMachine state;
    private final CommitNotifier commits;
    private final boolean syncEachGroup;
    private final long maxQueuedBytes;
    private final AppendMetrics metrics;
    private final Runnable betweenGroups;
    /**
     * Lock-free, so that appending threads do not contend on a lock with each other and the writer;
     * the writer parks when it finds nothing, and {@link #waiting} tells appenders to unpark it.
     */
    private final ConcurrentLinkedQueue<PendingAppend> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean waiting;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ExecutorService acknowledger = Executors.newSingleThreadExecutor(daemon("eventlog-ack"));
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private long nextOffset;
    private long lastTimestamp;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param appenderFactory makes the appender on the writer thread (Chronicle appenders are thread-bound)
     * @param nextOffset      the offset the next entry gets
     * @param syncEachGroup   msync each group before acknowledging it (durability fsync)
     * @param maxQueuedBytes  bytes of event data that may wait for the writer before appends are refused
     * @param betweenGroups   runs on the writer thread after each group and every 50 ms when idle
     */
    public GroupCommitWriter(Supplier<LogAppender> appenderFactory, OffsetIndex offsets, EventStateMachine state,
                             CommitNotifier commits, long nextOffset, boolean syncEachGroup, long maxQueuedBytes,
                             MeterRegistry meters, Runnable betweenGroups) {
        this.appenderFactory = appenderFactory;
        this.appendedRuns = new AppendedRuns(offsets);
        this.state = state;
        this.commits = commits;
        this.nextOffset = nextOffset;
        this.syncEachGroup = syncEachGroup;
        this.maxQueuedBytes = maxQueuedBytes;
        this.metrics = new AppendMetrics(meters);
        this.betweenGroups = betweenGroups;
        this.thread = daemon("eventlog-writer").newThread(this::run);
        this.thread.start();
    }

    @Override
    public CompletableFuture<AppendResult> submit(String stream, List<byte[]> bodies, AppendOptions options) {
        PendingAppend append = new PendingAppend(stream, bodies, options);
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(new EventLogException(ErrorCode.UNAVAILABLE,
                    "the log cannot be written: " + failed, failed));
        }
        if (!running) {
            return CompletableFuture.failedFuture(unavailable("the node is shutting down"));
        }
        if (queuedBytes.addAndGet(append.bytes) > maxQueuedBytes) {
            queuedBytes.addAndGet(-append.bytes);
            metrics.rejected();
            return CompletableFuture.failedFuture(unavailable("the writer is overloaded; retry shortly"));
        }
        queue.add(append);
        if (waiting) {
            LockSupport.unpark(thread);
        }
        return append.result;
    }

    private void run() {
        List<PendingAppend> group = new ArrayList<>();
        try (LogAppender appender = appenderFactory.get()) {
            while (running || !queue.isEmpty()) {
                PendingAppend first = next();
                if (first != null) {
                    group.add(first);
                    PendingAppend more;
                    while (group.size() < MAX_GROUP_REQUESTS && (more = queue.poll()) != null) {
                        group.add(more);
                    }
                    commitGroup(appender, group);
                    group.clear();
                }
                betweenGroups.run();
            }
        } catch (Throwable t) {
            failure = t;
            fail(group, t);
            PendingAppend left;
            while ((left = queue.poll()) != null) {
                fail(List.of(left), t);
            }
        } finally {
            acknowledger.shutdown();
        }
    }

    /** The first queued append, waiting up to {@link #IDLE_NANOS} for one; null if none came. */
    private PendingAppend next() {
        PendingAppend first = queue.poll();
        if (first == null) {
            waiting = true;
            // Polled again after announcing the wait: an append queued before it saw the flag is found here.
            first = queue.poll();
            if (first == null && running) {
                LockSupport.parkNanos(this, IDLE_NANOS);
                first = queue.poll();
            }
            waiting = false;
        }
        return first;
    }

    private void commitGroup(LogAppender appender, List<PendingAppend> group) {
        long now = Math.max(System.currentTimeMillis(), lastTimestamp);
        lastTimestamp = now;
        CompletionRound acknowledgements = new CompletionRound(acknowledger);
        List<PendingAppend> accepted = new ArrayList<>(group.size());
        int written = 0;
        for (PendingAppend append : group) {
            queuedBytes.addAndGet(-append.bytes);
            AppendDecision decision = state.decide(append.stream, append.options, now);
            if (decision instanceof AppendDecision.Accept accept) {
                AppendResult result = write(appender, append, accept.nextVersion(), now);
                written += append.bodies.size();
                accepted.add(append);
                acknowledgements.add(append.callerLoop, () -> append.result.complete(result));
            } else if (decision instanceof AppendDecision.Duplicate duplicate) {
                acknowledgements.add(append.callerLoop, () -> append.result.complete(duplicate.original()));
            } else if (decision instanceof AppendDecision.Conflict conflict) {
                metrics.rejected();
                EventLogException error = new WrongExpectedVersionException(append.stream, conflict.expected(),
                        conflict.actual());
                acknowledgements.add(append.callerLoop, () -> append.result.completeExceptionally(error));
            }
        }
        if (written > 0) {
            if (syncEachGroup) {
                appender.sync();
            }
            commits.publish(nextOffset - 1);
            metrics.groupCommit(written);
        }
        long ackNanos = System.nanoTime();
        for (PendingAppend append : accepted) {
            metrics.committed(append.bodies.size(), append.bytes, ackNanos - append.enqueuedNanos);
        }
        acknowledgements.dispatch();
    }

    private AppendResult write(LogAppender appender, PendingAppend append, long firstVersion, long timestamp) {
        long firstOffset = nextOffset;
        int count = append.bodies.size();
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            // The last record of every append carries the append's size, so that replay can tell an
            // append cut short by a crash (records without their last) and drop it whole.
            int batchCount = last ? count : 0;
            byte[] key = last ? append.idempotencyKey : null;
            byte[] body = append.bodies.get(i);
            long offset = nextOffset++;
            ensureCapacity(RecordCodec.recordLength(body, key));
            buffer.clear();
            int length = RecordCodec.encodeRecord(buffer, RecordKind.EVENT, 0, offset, timestamp, firstVersion + i,
                    batchCount, key, body);
            appendedRuns.written(offset, appender.append(buffer, length));
        }
        appendedRuns.flush();
        state.applyAppend(append.stream, firstOffset, firstVersion, count, timestamp, append.options.idempotencyKey());
        return new AppendResult(append.stream, nextOffset - 1, firstVersion + count - 1, firstOffset, firstVersion,
                count);
    }

    private void ensureCapacity(int length) {
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocate(Math.max(length, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private void fail(List<PendingAppend> appends, Throwable cause) {
        EventLogException error = new EventLogException(ErrorCode.UNAVAILABLE, "the log cannot be written: " + cause,
                cause);
        appends.forEach(append -> append.result.completeExceptionally(error));
    }

    private static EventLogException unavailable(String message) {
        return new EventLogException(ErrorCode.UNAVAILABLE, message);
    }

    /** Stops taking appends, commits what is queued, and stops the writer. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
            acknowledger.awaitTermination(10, TimeUnit.SECONDS);
            // An append that raced with close() may have been queued after the writer's last look.
            PendingAppend late;
            while ((late = queue.poll()) != null) {
                late.result.completeExceptionally(unavailable("the node is shutting down"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}

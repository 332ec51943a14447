package io.eventlog.server.replicated;

import io.eventlog.replication.RaftNode;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.checkpoint.CheckpointRequests;
import io.eventlog.server.checkpoint.CheckpointStore;
import io.eventlog.server.checkpoint.LogAnchor;
import io.eventlog.server.raftlog.ChronicleRaftStorage;
import io.eventlog.server.raftlog.RaftLogIndex;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.StateSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a cluster member's checkpoints, which become its Raft snapshots: when {@link CheckpointConfig}
 * says so, on request, and on close. The Raft thread owns the state, so it copies it there (cheap, as
 * on a single node), at an applied index that ends a whole append; a background thread syncs the log,
 * encodes the copy ({@link SnapshotImage}) and writes it to {@code <data>/checkpoints} (a start-up
 * redoes the log from the newest). One checkpoint is written at a time.
 *
 * <p>A checkpoint does not compact the Raft log: a follower that is behind still gets entries, and
 * every member keeps serving its whole log. {@link #compactToNewest} does, once retention is about to
 * delete the log's oldest files: {@code raft/snapshot} becomes the newest checkpoint, which the leader
 * then sends to a follower that needs entries before it.
 *
 * <p>Everything but {@link #request()} runs on the Raft thread.
 */
final class Snapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** After a failure, automatic checkpoints wait this long (a full disk must not be retried every round). */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What the Raft thread copied for a checkpoint at {@code meta.index()}. */
    private record Taken(SnapshotMeta meta, StateSnapshot state, List<OffsetIndex.Run> runs, long firstHeldOffset,
                         Map<Long, InetSocketAddress> addresses) {
    }

    /** A checkpoint on disk, and the last event record it names (where the log it does not cover starts). */
    record Written(Checkpoint checkpoint, LogAnchor anchor) {
        static final Written NONE = new Written(Checkpoint.NONE, LogAnchor.notHeld(-1));
    }

    private final ChronicleRaftStorage storage;
    private final ChronicleLog log;
    private final RaftNode raft;
    private final CommittedApplier applier;
    private final EventStateMachine state;
    private final OffsetIndex offsets;
    private final Map<Long, InetSocketAddress> addresses;
    private final CheckpointConfig config;
    private final CheckpointStore store;
    private final ExecutorService background = CheckpointRequests.backgroundThread();
    private final CheckpointRequests requests = new CheckpointRequests();
    private CompletableFuture<Written> writing;
    private List<CompletableFuture<Checkpoint>> answeredByWriting = List.of();
    private long nextDueNanos;
    private long pausedUntilNanos = System.nanoTime();
    private Written newest;

    /**
     * @param newest the checkpoint the node started from, {@link Written#NONE} for none
     */
    Snapshotter(ChronicleRaftStorage storage, ChronicleLog log, RaftNode raft, CommittedApplier applier,
                EventStateMachine state, OffsetIndex offsets, Map<Long, InetSocketAddress> addresses,
                CheckpointConfig config, CheckpointStore store, Written newest) {
        this.storage = storage;
        this.log = log;
        this.raft = raft;
        this.applier = applier;
        this.state = state;
        this.offsets = offsets;
        this.addresses = addresses;
        this.config = config;
        this.store = store;
        this.newest = newest;
        this.nextDueNanos = System.nanoTime() + config.interval().toNanos();
    }

    /** From any thread: a checkpoint of the state as applied now (or the newest, if nothing was applied since). */
    CompletableFuture<Checkpoint> request() {
        return requests.request();
    }

    /** After each round of the Raft thread: notes a checkpoint written meanwhile, starts one if due. */
    void afterRound() {
        if (writing != null) {
            if (!writing.isDone()) {
                return;
            }
            finishWriting();
        }
        long now = System.nanoTime();
        long uncovered = applier.appliedIndex() - coveredIndex();
        boolean due = uncovered > 0 && now - pausedUntilNanos >= 0
                && (uncovered >= config.everyEntries() || now - nextDueNanos >= 0);
        if ((!due && requests.isEmpty()) || !atWholeAppend()) {
            return;
        }
        List<CompletableFuture<Checkpoint>> waiting = requests.drain();
        if (uncovered <= 0) {
            waiting.forEach(request -> request.complete(newest.checkpoint()));
            return;
        }
        nextDueNanos = now + config.interval().toNanos();
        Taken taken = take();
        answeredByWriting = waiting;
        writing = CompletableFuture.supplyAsync(() -> write(taken), background);
    }

    /**
     * On the Raft thread as it stops: finishes the checkpoint being written, then writes a last one of
     * whatever is applied beyond it, so that the next start has nothing to redo.
     */
    void close() {
        List<CompletableFuture<Checkpoint>> waiting = requests.close();
        try {
            if (writing != null) {
                writing.join();
                finishWriting();
            }
            if (applier.appliedIndex() > coveredIndex() && atWholeAppend()) {
                newest = write(take());
            }
            waiting.forEach(request -> request.complete(newest.checkpoint()));
        } catch (RuntimeException e) {
            LOG.warn("no checkpoint at close: {}", e.toString());
            waiting.forEach(request -> request.completeExceptionally(e));
        } finally {
            background.shutdown();
        }
    }

    /**
     * Makes {@code raft/snapshot} the newest checkpoint, if it is newer: the Raft log then starts after
     * it, and a follower that needs an entry before it gets it instead. Called before retention deletes
     * the log's oldest files.
     */
    void compactToNewest() {
        long index = newest.checkpoint().offset();
        if (index <= storage.snapshotMeta().index()) {
            return;
        }
        byte[] data;
        try {
            data = Files.readAllBytes(newest.checkpoint().file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + newest.checkpoint().file(), e);
        }
        storage.compact(raft.snapshotMeta(index), data);
        LOG.info("the Raft log is compacted to the checkpoint at index {}", index);
    }

    /** The leader's snapshot replaced this node's log: it holds no entry up to it, and the snapshot is newer. */
    void installed() {
        newest = Written.NONE;
    }

    /**
     * The queue index of the first record the node must keep (retention deletes before it, after
     * {@link #compactToNewest}), or -1 for none: the newest checkpoint's anchor, or, when the node holds
     * no entry up to its snapshot, the first entry of its Raft log.
     */
    long keepFromQueueIndex() {
        if (newest.anchor().isHeld()) {
            return newest.anchor().queueIndex();
        }
        RaftLogIndex entries = storage.index();
        return entries.isEmpty() ? -1 : entries.queueIndexOf(entries.firstIndex());
    }

    /** The index the state is known from without the log: the newest checkpoint's, or the snapshot's. */
    private long coveredIndex() {
        return Math.max(newest.checkpoint().offset(), storage.snapshotMeta().index());
    }

    /** Between appends: a checkpoint never holds part of one (the applier holds such entries back). */
    private boolean atWholeAppend() {
        return applier.readableIndex() == applier.appliedIndex();
    }

    private Taken take() {
        SnapshotMeta meta = raft.snapshotMeta(applier.appliedIndex());
        return new Taken(meta, state.snapshot(), offsets.runs(), offsets.firstHeldOffset(), new TreeMap<>(addresses));
    }

    /**
     * Off the Raft thread: the log synced up to the checkpoint (it must not cover entries a power loss
     * could take), then the file.
     */
    private Written write(Taken taken) {
        long started = System.nanoTime();
        log.syncFiles();
        LogAnchor lastHeld;
        if (taken.runs().isEmpty()) {
            lastHeld = LogAnchor.notHeld(taken.state().lastOffset());
        } else {
            OffsetIndex.Run last = taken.runs().get(taken.runs().size() - 1);
            try (LogReader reader = log.createReader()) {
                lastHeld = LogAnchor.of(reader, last.lastOffset(), last.lastQueueIndex());
            }
        }
        byte[] data = SnapshotImage.encode(taken.meta(), lastHeld, taken.state(), taken.runs(), taken.firstHeldOffset(),
                taken.addresses());
        Checkpoint checkpoint;
        try {
            checkpoint = store.write(taken.meta().index(), channel -> {
                ByteBuffer bytes = ByteBuffer.wrap(data);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("checkpoint at index {} (term {}) written to {}: {} streams, {} bytes, {} ms", taken.meta().index(),
                taken.meta().term(), checkpoint.file(), taken.state().streams().size(), data.length,
                (System.nanoTime() - started) / 1_000_000);
        return new Written(checkpoint, lastHeld);
    }

    private void finishWriting() {
        List<CompletableFuture<Checkpoint>> waiting = answeredByWriting;
        CompletableFuture<Written> done = writing;
        writing = null;
        answeredByWriting = List.of();
        try {
            newest = done.join();
            waiting.forEach(request -> request.complete(newest.checkpoint()));
        } catch (RuntimeException e) {
            pausedUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
            LOG.error("a checkpoint failed", e);
            waiting.forEach(request -> request.completeExceptionally(e));
        }
    }
}

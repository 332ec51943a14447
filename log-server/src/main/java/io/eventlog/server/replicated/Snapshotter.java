package io.eventlog.server.replicated;

import io.eventlog.replication.RaftNode;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.checkpoint.CheckpointRequests;
import io.eventlog.server.checkpoint.LogAnchor;
import io.eventlog.server.raftlog.ChronicleRaftStorage;
import io.eventlog.server.raftlog.RaftLogIndex;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.StateSnapshot;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a cluster member's checkpoints, which are its Raft snapshots: when {@link CheckpointConfig}
 * says so, on request, and on close. The Raft thread owns the state, so it copies it there (cheap,
 * as on a single node), at an applied index that ends a whole append; a background thread syncs the
 * log and encodes the copy ({@link SnapshotImage}); back on the Raft thread the Raft log is compacted
 * to it ({@code raft/snapshot} replaced, entries up to its index no longer sent to followers, which
 * get the snapshot instead). One snapshot is taken at a time.
 *
 * <p>Everything but {@link #request()} runs on the Raft thread.
 */
final class Snapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** After a failure, automatic snapshots wait this long (a full disk must not be retried every round). */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What the Raft thread copied for a snapshot at {@code meta.index()}. */
    private record Taken(SnapshotMeta meta, StateSnapshot state, List<OffsetIndex.Run> runs, long firstHeldOffset,
                         Map<Long, InetSocketAddress> addresses) {
    }

    private record Encoded(SnapshotMeta meta, LogAnchor anchor, byte[] data) {
    }

    private final ChronicleRaftStorage storage;
    private final ChronicleLog log;
    private final RaftNode raft;
    private final CommittedApplier applier;
    private final EventStateMachine state;
    private final OffsetIndex offsets;
    private final Map<Long, InetSocketAddress> addresses;
    private final CheckpointConfig config;
    private final ExecutorService background = CheckpointRequests.backgroundThread();
    private final CheckpointRequests requests = new CheckpointRequests();
    private CompletableFuture<Encoded> writing;
    private List<CompletableFuture<Checkpoint>> answeredByWriting = List.of();
    private long nextDueNanos;
    private long pausedUntilNanos = System.nanoTime();
    /** The anchor of the snapshot the Raft log starts after. */
    private LogAnchor anchor;

    Snapshotter(ChronicleRaftStorage storage, ChronicleLog log, RaftNode raft, CommittedApplier applier,
                EventStateMachine state, OffsetIndex offsets, Map<Long, InetSocketAddress> addresses,
                CheckpointConfig config, LogAnchor anchor) {
        this.storage = storage;
        this.log = log;
        this.raft = raft;
        this.applier = applier;
        this.state = state;
        this.offsets = offsets;
        this.addresses = addresses;
        this.config = config;
        this.anchor = anchor;
        this.nextDueNanos = System.nanoTime() + config.interval().toNanos();
    }

    /** From any thread: a snapshot of the state as applied now (or the newest, if nothing was applied since). */
    CompletableFuture<Checkpoint> request() {
        return requests.request();
    }

    /** After each round of the Raft thread: compacts to a snapshot encoded meanwhile, starts one if due. */
    void afterRound() {
        if (writing != null) {
            if (!writing.isDone()) {
                return;
            }
            finishWriting();
        }
        long now = System.nanoTime();
        long uncovered = applier.appliedIndex() - storage.snapshotMeta().index();
        boolean due = uncovered > 0 && now - pausedUntilNanos >= 0
                && (uncovered >= config.everyEntries() || now - nextDueNanos >= 0);
        if ((!due && requests.isEmpty()) || !atWholeAppend()) {
            return;
        }
        List<CompletableFuture<Checkpoint>> waiting = requests.drain();
        if (uncovered <= 0) {
            waiting.forEach(request -> request.complete(newest()));
            return;
        }
        nextDueNanos = now + config.interval().toNanos();
        Taken taken = take();
        answeredByWriting = waiting;
        writing = CompletableFuture.supplyAsync(() -> encode(taken), background);
    }

    /**
     * On the Raft thread as it stops: finishes the snapshot being written, then takes a last one of
     * whatever is applied beyond it, so that the next start has nothing to redo.
     */
    void close() {
        List<CompletableFuture<Checkpoint>> waiting = requests.close();
        try {
            if (writing != null) {
                writing.join();
                finishWriting();
            }
            if (applier.appliedIndex() > storage.snapshotMeta().index() && atWholeAppend()) {
                compact(encode(take()));
            }
            waiting.forEach(request -> request.complete(newest()));
        } catch (RuntimeException e) {
            LOG.warn("no snapshot at close: {}", e.toString());
            waiting.forEach(request -> request.completeExceptionally(e));
        } finally {
            background.shutdown();
        }
    }

    /** Between appends: a snapshot never holds part of one (the applier holds such entries back). */
    private boolean atWholeAppend() {
        return applier.readableIndex() == applier.appliedIndex();
    }

    private Taken take() {
        SnapshotMeta meta = raft.snapshotMeta(applier.appliedIndex());
        return new Taken(meta, state.snapshot(), offsets.runs(), offsets.firstHeldOffset(), new TreeMap<>(addresses));
    }

    /** Off the Raft thread: the log synced up to the snapshot (it must not cover entries a power loss could take), then the bytes. */
    private Encoded encode(Taken taken) {
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
        LOG.info("snapshot at index {} (term {}) encoded: {} streams, {} bytes, {} ms", taken.meta().index(),
                taken.meta().term(), taken.state().streams().size(), data.length,
                (System.nanoTime() - started) / 1_000_000);
        return new Encoded(taken.meta(), lastHeld, data);
    }

    private void finishWriting() {
        List<CompletableFuture<Checkpoint>> waiting = answeredByWriting;
        CompletableFuture<Encoded> done = writing;
        writing = null;
        answeredByWriting = List.of();
        try {
            compact(done.join());
            waiting.forEach(request -> request.complete(newest()));
        } catch (RuntimeException e) {
            pausedUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
            LOG.error("a snapshot failed", e);
            waiting.forEach(request -> request.completeExceptionally(e));
        }
    }

    private void compact(Encoded encoded) {
        if (encoded.meta().index() > storage.snapshotMeta().index()) {
            storage.compact(encoded.meta(), encoded.data());
            anchor = encoded.anchor();
        }
    }

    /** The leader's snapshot replaced this node's log: it holds no entry up to it. */
    void installed() {
        anchor = LogAnchor.notHeld(-1);
    }

    /**
     * The queue index of the first record the node must keep, or -1 for none yet: the snapshot's anchor
     * (the log up to it is in the snapshot), or, when the node holds no entry up to its snapshot, the
     * first entry of its Raft log.
     */
    long keepFromQueueIndex() {
        if (anchor.isHeld()) {
            return anchor.queueIndex();
        }
        RaftLogIndex entries = storage.index();
        return entries.isEmpty() ? -1 : entries.queueIndexOf(entries.firstIndex());
    }

    private Checkpoint newest() {
        long index = storage.snapshotMeta().index();
        return index == 0 ? Checkpoint.NONE : new Checkpoint(index, storage.snapshotPath());
    }
}

package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.ConfChange;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.Message;
import io.eventlog.replication.ProposalRejectedException;
import io.eventlog.replication.RaftConfig;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Ready;
import io.eventlog.replication.Role;
import io.eventlog.replication.Snapshot;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.replication.SoftState;
import io.eventlog.server.append.AppendMetrics;
import io.eventlog.server.append.AppendSink;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.checkpoint.CheckpointStore;
import io.eventlog.server.checkpoint.UnusableCheckpointException;
import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.cluster.NotLeaderException;
import io.eventlog.server.completion.CallerLoop;
import io.eventlog.server.raftlog.ChronicleRaftStorage;
import io.eventlog.server.retention.Retention;
import io.eventlog.server.retention.RetentionConfig;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.AppendDecision;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import io.eventlog.server.subscribe.CommitNotifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs one Raft group on its own thread ({@code eventlog-raft}): the core, its log in Chronicle
 * Queue, and the application of committed entries to what readers see. Everything that touches the
 * core or the Raft log happens on that thread; other threads talk to it through its inbox (peer
 * messages, appends, status requests).
 *
 * <p>The thread is a netty event loop that also carries this node's peer connections: a peer's
 * message is handed to the core, and the core's messages are written to the peers, without a
 * hand-off between threads. A round takes what the inbox holds (everything read from the peers in
 * one pass of the loop, and what other threads queued) and runs the core once for all of it.
 *
 * <p>An append on the leader is checked against the applied state plus the leader's own proposals
 * not yet applied ({@link LeaderOverlay}), gets its offsets (the Raft indexes) and versions, and is
 * proposed; it is acknowledged once applied, which implies committed by a majority that has it
 * durable as configured. A follower forwards appends to the leader over the peer transport. A new
 * leader proposes nothing until it has applied its own term's no-op, so that its applied state holds
 * every entry earlier leaders committed.
 */
public final class RaftDriver implements AppendSink, ClusterAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(RaftDriver.class);
    private static final long GROUP = 1;
    private static final int MAX_INBOX_BATCH = 8192;
    private static final long APPLY_CHUNK_BYTES = 4 << 20;
    private static final String APPEND = "the append";
    private static final long COMMIT_HINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record AppMessage(long from, byte[] bytes) {
    }

    private record Unreachable(long peer) {
    }

    /** A leadership transfer someone waits for. */
    private record PendingTransfer(long target, long deadlineNanos, CompletableFuture<Void> done) {
    }

    /** Ends an append forwarded to this node while it does not lead: the sender forwards it again. */
    private static final class NotLeader extends RuntimeException {
        NotLeader() {
            super("not the leader", null, false, false);
        }
    }

    private final ReplicationConfig config;
    private final ChronicleLog log;
    private final Path dataDir;
    private final EventStateMachine state;
    private final OffsetIndex offsets;
    private final CommitNotifier commits;
    private final CheckpointConfig checkpoints;
    private final RetentionConfig retentionConfig;
    private final IdempotencyLimits idempotencyLimits;
    private final boolean syncEachBatch;
    private final long maxQueuedBytes;
    private final AppendMetrics metrics;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** A round is queued on the loop (or about to be): the inbox needs no other one. */
    private final AtomicBoolean roundScheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> daemon(r, "eventlog-ack"));
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final EventLoop loop;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile ClusterView view;
    private volatile PeerLinks links;
    private volatile Snapshotter snapshotter;

    // Raft thread only, from here on.
    private final LeaderOverlay overlay = new LeaderOverlay();
    private final CommitWaiters waiters = new CommitWaiters(completions);
    private final ArrayDeque<QueuedAppend> waiting = new ArrayDeque<>();
    private final AppendTimeouts timeouts;
    private final Map<Long, QueuedAppend> forwarded = new HashMap<>();
    private final Map<Long, InetSocketAddress> addresses;
    private final List<PendingTransfer> transfers = new ArrayList<>();
    private final List<Runnable> deferredAdmin = new ArrayList<>();
    private boolean opened;
    private boolean stoppedRaft;
    private ScheduledFuture<?> ticker;
    private ChronicleRaftStorage storage;
    private RaftNode raft;
    private CommittedApplier applier;
    private Retention retention;
    private long nextForwardId = 1;
    private long leaderSince = Long.MAX_VALUE;
    private long lastTimestamp;
    private long savedCommitHint;
    private long commitHintSavedNanos;

    /**
     * @param syncEachBatch  msync every write of entries before reporting it durable (durability fsync)
     * @param maxQueuedBytes event bytes that may wait in this driver before appends are refused (503)
     * @param checkpoints    when to take snapshots (a member's checkpoints)
     * @param retention      how much of the log to keep
     * @param idempotencyLimits the state machine's, to read snapshots back
     * @param loop           the Raft thread, an event loop that also serves the peer connections
     */
    public RaftDriver(ReplicationConfig config, ChronicleLog log, Path dataDir, EventStateMachine state,
                      OffsetIndex offsets, CommitNotifier commits, boolean syncEachBatch, long maxQueuedBytes,
                      CheckpointConfig checkpoints, RetentionConfig retention, IdempotencyLimits idempotencyLimits,
                      MeterRegistry meters, EventLoop loop) {
        this.config = config;
        this.log = log;
        this.dataDir = dataDir;
        this.state = state;
        this.offsets = offsets;
        this.commits = commits;
        this.checkpoints = checkpoints;
        this.retentionConfig = retention;
        this.idempotencyLimits = idempotencyLimits;
        this.syncEachBatch = syncEachBatch;
        this.maxQueuedBytes = maxQueuedBytes;
        this.metrics = new AppendMetrics(meters);
        this.loop = loop;
        this.addresses = new TreeMap<>(config.peers());
        this.timeouts = new AppendTimeouts(config.appendTimeout(), completions, () -> timedOut(APPEND, null));
        this.view = new ClusterView(String.valueOf(config.nodeId()), null, 0, 0, List.of(), false);
    }

    // ---------------------------------------------------------------- inbound, from any thread

    /** A Raft message from a peer. */
    public void deliver(Message message) {
        enqueue(message);
    }

    /** Driver bytes from a peer (a forwarded append or the reply to one). */
    public void deliverApp(long from, byte[] message) {
        enqueue(new AppMessage(from, message));
    }

    /** The transport lost its connection to {@code peer}. */
    public void unreachable(long peer) {
        enqueue(new Unreachable(peer));
    }

    /**
     * Opens the Raft log on the Raft thread, applies what it knows is committed, and starts the
     * core. Returns once the node serves what it applied; fails if the log cannot be opened.
     */
    public void start(PeerLinks peerLinks) {
        this.links = peerLinks;
        loop.execute(this::openAndRun);
        try {
            started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public CompletableFuture<AppendResult> submit(String stream, List<byte[]> bodies, AppendOptions options) {
        QueuedAppend append = new QueuedAppend(stream, bodies, options, 0, 0);
        EventLogException refused = admit(append);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        enqueue(append);
        return append.result;
    }

    /** Takes the append in (counts its bytes), or says why not. Its timeout runs once the Raft thread has it. */
    private EventLogException admit(QueuedAppend append) {
        Throwable failed = failure;
        if (failed != null) {
            return new EventLogException(ErrorCode.UNAVAILABLE, "the log cannot be written: " + failed, failed);
        }
        if (!running) {
            return new EventLogException(ErrorCode.UNAVAILABLE, "the node is shutting down");
        }
        if (queuedBytes.addAndGet(append.bytes) > maxQueuedBytes) {
            queuedBytes.addAndGet(-append.bytes);
            metrics.rejected();
            return new EventLogException(ErrorCode.UNAVAILABLE, "the node is overloaded; retry shortly");
        }
        append.result.whenComplete((result, error) -> {
            queuedBytes.addAndGet(-append.bytes);
            if (result != null) {
                metrics.committed(append.bodies.size(), append.bytes, System.nanoTime() - append.enqueuedNanos);
            }
        });
        return null;
    }

    /** How a failed append or change is reported: a timeout's outcome is unknown. */
    private EventLogException outcome(Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return timedOut(what, cause);
        }
        if (cause instanceof EventLogException e) {
            return e;
        }
        return new EventLogException(ErrorCode.INTERNAL, what + " failed: " + cause, cause);
    }

    private EventLogException timedOut(String what, Throwable cause) {
        String retry = what.equals(APPEND) ? ": retry it with the same Idempotency-Key to find out" : "";
        return new EventLogException(ErrorCode.TIMEOUT, what + " was not confirmed within "
                + config.appendTimeout().toMillis() + " ms; it may or may not have been done" + retry, cause);
    }

    /**
     * A snapshot (this member's checkpoint) of the state as applied once the Raft thread next stands
     * between appends, or the newest one if nothing was applied since; {@link Checkpoint#NONE} when
     * nothing was ever applied. Its offset is the Raft index it covers, its file {@code raft/snapshot}.
     */
    public CompletableFuture<Checkpoint> checkpoint() {
        return snapshotter.request();
    }

    /** This node's view of the cluster, refreshed every tick and on every role change. */
    public ClusterView clusterView() {
        return view;
    }

    // ---------------------------------------------------------------- the Raft thread

    /** Queues {@code item} for the Raft thread and makes sure a round will take it. From any thread. */
    private void enqueue(Object item) {
        inbox.add(item);
        if (roundScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::round);
            } catch (RejectedExecutionException e) {
                roundScheduled.set(false); // the loop has shut down: shutDown() answers what is left
            }
        }
    }

    private void openAndRun() {
        try {
            open();
        } catch (RuntimeException | Error e) {
            failure = e;
            started.completeExceptionally(e);
            return;
        }
        opened = true;
        started.complete(null);
        long tickNanos = config.tick().toNanos();
        ticker = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        round();
    }

    /** Takes what the inbox holds, at most a batch (another round follows for the rest), and runs the core. */
    private void round() {
        roundScheduled.set(false);
        if (!opened || !running) {
            return;
        }
        guarded(() -> {
            Object item;
            for (int taken = 0; taken < MAX_INBOX_BATCH && (item = inbox.poll()) != null; taken++) {
                handle(item);
            }
            if (!inbox.isEmpty() && roundScheduled.compareAndSet(false, true)) {
                loop.execute(this::round);
            }
            afterInput();
        });
    }

    private void tick() {
        if (running) {
            guarded(() -> {
                raft.tick();
                housekeeping();
                afterInput();
            });
        }
    }

    private void afterInput() {
        runDeferredAdmin();
        proposeWaiting();
        processReadies();
        snapshotter.afterRound();
        retention.maybeRun();
    }

    /** Runs part of a round; a failure stops this node's Raft group as the end of its thread did. */
    private void guarded(Runnable part) {
        try {
            part.run();
        } catch (RuntimeException | Error e) {
            LOG.error("the Raft thread failed; this node stops serving appends", e);
            failure = e;
            stopRaft();
        }
    }

    private void open() {
        ClusterConfig initial = config.join() ? ClusterConfig.EMPTY
                : ClusterConfig.ofVoters(config.peers().keySet().stream().mapToLong(Long::longValue).toArray());
        storage = ChronicleRaftStorage.open(log, dataDir, initial, SnapshotImage::lastHeldQueueIndex);
        SnapshotMeta snapshot = storage.snapshotMeta();
        CheckpointStore store = CheckpointStore.open(dataDir.toAbsolutePath().normalize().resolve("checkpoints"),
                checkpoints.kept());
        CheckpointStore.Loaded<SnapshotImage.Restored> checkpoint = store.loadNewestValid(this::checkpointInLog);
        Snapshotter.Written newest = Snapshotter.Written.NONE;
        long startIndex = snapshot.index();
        if (checkpoint != null) {
            restore(checkpoint.content());
            newest = new Snapshotter.Written(checkpoint.checkpoint(), checkpoint.content().anchor());
            startIndex = checkpoint.content().index();
        } else if (snapshot.index() > 0) {
            restore(snapshotHeld(snapshot));
        }
        applier = new CommittedApplier(state, offsets, storage.index()::queueIndexOf, this::onSystemRecord,
                startIndex);
        long known = Math.min(storage.commitHint(), storage.lastIndex());
        for (long next = applier.appliedIndex() + 1; next <= known; ) {
            for (Entry entry : storage.entries(next, known + 1, APPLY_CHUNK_BYTES)) {
                applier.apply(entry);
                next = entry.index() + 1;
            }
        }
        savedCommitHint = applier.readableIndex();
        commits.publish(applier.readableIndex());
        RaftConfig raftConfig = RaftConfig.builder(config.nodeId(), GROUP, new SplittableRandom())
                .electionTicks(ReplicationConfig.ELECTION_TICKS).heartbeatTicks(1)
                .maxUncommittedBytes(0) // bounded by maxQueuedBytes before proposing
                // The applier holds an unfinished append past readableIndex, if any: the core goes on after it.
                .applied(applier.appliedIndex()).build();
        raft = new RaftNode(raftConfig, storage);
        snapshotter = new Snapshotter(storage, log, raft, applier, state, offsets, addresses, checkpoints, store,
                newest);
        retention = new Retention(log, offsets, retentionConfig, snapshotter::keepFromQueueIndex,
                snapshotter::compactToNewest, commits::wake);
        links.updatePeers(addresses);
        LOG.info("node {} opened its Raft log: entries {}..{}, applied up to {}, term {}", config.nodeId(),
                storage.firstIndex(), storage.lastIndex(), applier.readableIndex(), raft.term());
        refreshView();
    }

    /**
     * A checkpoint this node can start from: at or after its Raft snapshot, of an entry its Raft log holds
     * (same index and term), and whose anchor record the queue holds. Others are refused (and deleted).
     */
    private SnapshotImage.Restored checkpointInLog(FileChannel channel) throws IOException, UnusableCheckpointException {
        SnapshotImage.Restored restored = SnapshotImage.decode(Channels.newInputStream(channel).readAllBytes(),
                idempotencyLimits);
        SnapshotMeta snapshot = storage.snapshotMeta();
        long index = restored.index();
        boolean inLog = index == snapshot.index() ? restored.term() == snapshot.term()
                : index > snapshot.index() && index <= storage.lastIndex() && storage.term(index) == restored.term();
        if (!inLog) {
            throw new UnusableCheckpointException(UnusableCheckpointException.Reason.NOT_IN_LOG, "it covers entry "
                    + index + " of term " + restored.term() + ", which the Raft log (after its snapshot at "
                    + snapshot.index() + ") does not hold");
        }
        try (LogReader reader = log.createReader()) {
            String mismatch = restored.anchor().mismatch(reader);
            if (mismatch != null) {
                throw new UnusableCheckpointException(UnusableCheckpointException.Reason.NOT_IN_LOG, mismatch);
            }
        }
        return restored;
    }

    /** The snapshot the Raft log starts after, read back; the log must hold the entries it says it does. */
    private SnapshotImage.Restored snapshotHeld(SnapshotMeta snapshot) {
        SnapshotImage.Restored restored = SnapshotImage.decode(storage.snapshotData(), snapshot, idempotencyLimits);
        try (LogReader reader = log.createReader()) {
            String mismatch = restored.anchor().mismatch(reader);
            if (mismatch != null) {
                throw new IllegalStateException("the snapshot at index " + snapshot.index() + " (" + storage.snapshotPath()
                        + ") does not match the log: " + mismatch + ". Move the data directory aside: started on an"
                        + " empty one, the node receives the state from the leader.");
            }
        }
        return restored;
    }

    /** At start-up: the state, offset index and address book of a checkpoint or snapshot this node took. */
    private void restore(SnapshotImage.Restored restored) {
        offsets.replaceWith(restored.offsets());
        offsets.dropBelowQueueIndex(log.firstQueueIndex()); // what retention deleted since it was taken
        restoreState(restored);
    }

    /** The state and address book of a checkpoint or snapshot (its offset runs may be another node's). */
    private void restoreState(SnapshotImage.Restored restored) {
        state.replaceWith(restored.state());
        addresses.clear();
        addresses.putAll(restored.addresses());
    }

    /**
     * Persists and restores a snapshot the leader sent (this node's next entry was compacted away on
     * the leader): {@code raft/snapshot} holds it from now on, localized (this node holds no entry up
     * to its index), and the state, the offset index and the applied index start over from it.
     * Returns the Ready without its snapshot, for the rest to be persisted as usual.
     */
    private Ready install(Ready ready) {
        Snapshot snapshot = ready.snapshot();
        SnapshotMeta meta = snapshot.meta();
        SnapshotImage.Restored received = SnapshotImage.decode(snapshot.data(), meta, idempotencyLimits);
        storage.installSnapshot(meta, SnapshotImage.localize(received, meta));
        offsets.restartAt(meta.index() + 1);
        restoreState(received);
        applier.restartAt(meta.index());
        snapshotter.installed();
        links.updatePeers(addresses);
        refreshView();
        commits.publish(applier.readableIndex());
        LOG.info("node {} installed the leader's snapshot at index {} (term {}, {} bytes): it holds no entry up to it",
                config.nodeId(), meta.index(), meta.term(), snapshot.data().length);
        return new Ready(ready.softState(), ready.hardState(), null, ready.entries(), ready.messages(),
                ready.committedEntries(), ready.readStates());
    }

    private void handle(Object item) {
        if (item instanceof Message message) {
            step(message);
        } else if (item instanceof QueuedAppend append) {
            timeouts.add(append);
            waiting.add(append);
        } else if (item instanceof AppMessage app) {
            onAppMessage(app);
        } else if (item instanceof Unreachable unreachable) {
            raft.reportUnreachable(unreachable.peer());
        } else if (item instanceof Runnable task) {
            task.run();
        } else {
            throw new IllegalStateException("unknown inbox item " + item);
        }
    }

    private void step(Message message) {
        try {
            raft.step(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("dropped a message not for this node: {}", e.getMessage());
        }
    }

    private void onAppMessage(AppMessage app) {
        try {
            if (ForwardingCodec.isLogEmpty(app.bytes())) {
                raft.reportLogLost(app.from());
            } else if (ForwardingCodec.isRequest(app.bytes())) {
                acceptForwarded(app.from(), ForwardingCodec.decodeRequest(app.bytes()));
            } else {
                onForwardReply(ForwardingCodec.decodeReply(app.bytes()));
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("dropped a malformed message from node {}: {}", app.from(), e.getMessage());
        }
    }

    /** The leader's side: an append a follower forwarded; the answer goes back to that follower. */
    private void acceptForwarded(long from, ForwardingCodec.Request request) {
        QueuedAppend append = new QueuedAppend(request.stream(), request.bodies(), request.options(), from,
                request.id());
        EventLogException refused = admit(append);
        if (refused != null) {
            links.sendApp(from, ForwardingCodec.reply(request.id(), refused));
            return;
        }
        timeouts.add(append);
        waiting.add(append);
        append.result.whenComplete((result, error) -> links.sendApp(from, result != null
                ? ForwardingCodec.reply(request.id(), result)
                : error instanceof NotLeader ? ForwardingCodec.notLeader(request.id())
                : ForwardingCodec.reply(request.id(), outcome(error, APPEND))));
    }

    /** The follower's side: the leader answered an append this node forwarded. */
    private void onForwardReply(ForwardingCodec.Reply reply) {
        QueuedAppend append = forwarded.remove(reply.id());
        if (append == null) {
            return; // timed out meanwhile
        }
        if (reply.notLeader()) {
            waiting.addFirst(append);
        } else if (reply.result() != null) {
            CallerLoop.execute(append.completeOn(completions), completions,
                    () -> append.result.complete(reply.result()));
        } else {
            EventLogException error = reply.error(append.stream);
            CallerLoop.execute(append.completeOn(completions), completions,
                    () -> append.result.completeExceptionally(error));
        }
    }

    /** Admin requests that waited for this new leader's no-op (or for it to stop leading) run now. */
    private void runDeferredAdmin() {
        if (!deferredAdmin.isEmpty() && (raft.role() != Role.LEADER || applier.appliedIndex() >= leaderSince)) {
            List<Runnable> ready = new ArrayList<>(deferredAdmin);
            deferredAdmin.clear();
            ready.forEach(Runnable::run);
        }
    }

    private void proposeWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        if (raft.role() == Role.LEADER) {
            // A new leader first applies its no-op: then its state holds all that earlier leaders committed.
            if (applier.appliedIndex() >= leaderSince && raft.transferee() == 0) {
                proposeAll();
            }
            return;
        }
        long leader = raft.leader();
        for (Iterator<QueuedAppend> it = waiting.iterator(); it.hasNext(); ) {
            QueuedAppend append = it.next();
            if (append.result.isDone()) {
                it.remove();
            } else if (append.replyTo != 0) {
                // Forwarded here by a node that thought this one leads: it forwards again once it knows better.
                append.result.completeExceptionally(new NotLeader());
                it.remove();
            } else if (leader != 0) {
                long id = nextForwardId++;
                // No live link to the leader yet (it was just elected, or it is cut off): the append
                // stays waiting and is sent once the link is up, or answered 503 if it never comes.
                if (links.sendApp(leader, ForwardingCodec.request(id, append.stream, append.bodies, append.options))) {
                    forwarded.put(id, append);
                    it.remove();
                }
            }
        }
    }

    private void proposeAll() {
        long now = Math.max(System.currentTimeMillis(), lastTimestamp);
        lastTimestamp = now;
        long term = raft.term();
        long firstIndex = raft.lastIndex() + 1;
        long nextIndex = firstIndex;
        List<byte[]> payloads = new ArrayList<>();
        QueuedAppend append;
        while ((append = waiting.poll()) != null) {
            if (append.result.isDone()) {
                continue;
            }
            String key = append.options.idempotencyKey();
            LeaderOverlay.Proposed original = key == null ? null : overlay.withKey(append.stream, key);
            if (original != null) {
                waiters.await(original.lastIndex(), original.term(), original.result(), append.result,
                        append.completeOn(completions));
                continue;
            }
            AppendDecision decision = state.decide(append.stream, append.options, now, overlay.lastVersion(append.stream));
            if (decision instanceof AppendDecision.Accept accept) {
                AppendResult result = encode(append, accept.nextVersion(), nextIndex, now, payloads);
                nextIndex += append.bodies.size();
                overlay.proposed(new LeaderOverlay.Proposed(result.offset(), term, result), key);
                waiters.await(result.offset(), term, result, append.result, append.completeOn(completions));
            } else if (decision instanceof AppendDecision.Duplicate duplicate) {
                QueuedAppend done = append;
                completions.execute(() -> done.result.complete(duplicate.original()));
            } else if (decision instanceof AppendDecision.Conflict conflict) {
                metrics.rejected();
                EventLogException error = new WrongExpectedVersionException(append.stream, conflict.expected(),
                        conflict.actual());
                QueuedAppend done = append;
                completions.execute(() -> done.result.completeExceptionally(error));
            }
        }
        if (!payloads.isEmpty()) {
            long proposedAt = raft.propose(payloads);
            if (proposedAt != firstIndex) {
                throw new IllegalStateException("the core put a proposal at " + proposedAt + ", expected " + firstIndex);
            }
            metrics.groupCommit(payloads.size());
        }
    }

    /** Adds the append's entry payloads; the last carries the append's size and Idempotency-Key. */
    private static AppendResult encode(QueuedAppend append, long firstVersion, long firstIndex, long timestamp,
                                       List<byte[]> payloads) {
        int count = append.bodies.size();
        byte[] key = append.options.idempotencyKey() == null ? null
                : append.options.idempotencyKey().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            payloads.add(RecordCodec.encodeEventPayload(timestamp, firstVersion + i, last ? count : 0,
                    last ? key : null, append.bodies.get(i)));
        }
        return new AppendResult(append.stream, firstIndex + count - 1, firstVersion + count - 1, firstIndex,
                firstVersion, count);
    }

    // ---------------------------------------------------------------- membership and leadership

    @Override
    public Mono<ClusterView> addMember(long id, InetSocketAddress peerAddress) {
        return onRaftThread(done -> {
            requireReadyLeader();
            if (raft.config().contains(id)) {
                throw new EventLogException(ErrorCode.CONFLICT, "node " + id + " is already a member");
            }
            long index = proposeConfChange(ConfChange.addLearner(id));
            addresses.put(id, peerAddress);
            links.updatePeers(addresses);
            raft.propose(MemberAddresses.payload(id, peerAddress, System.currentTimeMillis()));
            waiters.await(index, raft.term(), null, done);
        });
    }

    @Override
    public Mono<ClusterView> removeMember(long id) {
        return onRaftThread(done -> {
            requireReadyLeader();
            if (!raft.config().contains(id)) {
                throw new EventLogException(ErrorCode.CONFLICT, "node " + id + " is not a member");
            }
            long index = proposeConfChange(ConfChange.remove(id));
            raft.propose(MemberAddresses.payload(id, null, System.currentTimeMillis()));
            waiters.await(index, raft.term(), null, done);
        });
    }

    @Override
    public Mono<ClusterView> transferLeadership(long id) {
        return onRaftThread(done -> {
            requireReadyLeader();
            if (id == config.nodeId()) {
                done.complete(null);
                return;
            }
            if (!raft.config().isVoter(id)) {
                throw new EventLogException(ErrorCode.CONFLICT, "node " + id + " is not a voter: it cannot lead");
            }
            raft.transferLeadership(id);
            long deadline = System.nanoTime() + 2 * ReplicationConfig.ELECTION_TICKS * config.tick().toNanos();
            transfers.add(new PendingTransfer(id, deadline, done));
        });
    }

    /**
     * Runs {@code task} on the Raft thread (once this node, if it has just become leader, has applied
     * its no-op); the view once the future it was given completes.
     */
    private Mono<ClusterView> onRaftThread(Consumer<CompletableFuture<Void>> task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Runnable() {
            @Override
            public void run() {
                if (done.isDone()) {
                    return;
                }
                if (raft.role() == Role.LEADER && applier.appliedIndex() < leaderSince) {
                    deferredAdmin.add(this);
                    return;
                }
                try {
                    task.accept(done);
                } catch (EventLogException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        return Mono.fromFuture(done.orTimeout(config.appendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(outcome(e, "the change"))))
                .then(Mono.fromSupplier(() -> view));
    }

    /** Only the leader changes the membership (onRaftThread waits for it to have applied its no-op). */
    private void requireReadyLeader() {
        if (raft.role() != Role.LEADER) {
            long leader = raft.leader();
            String address = leader == 0 ? null : links.httpAddressOf(leader);
            if (address == null) {
                throw new EventLogException(ErrorCode.NO_LEADER, "this node does not lead and knows no leader's"
                        + " address; retry shortly");
            }
            throw new NotLeaderException(String.valueOf(leader), address);
        }
    }

    private long proposeConfChange(ConfChange change) {
        try {
            return raft.proposeConfChange(change);
        } catch (ProposalRejectedException e) {
            throw new EventLogException(ErrorCode.CONFLICT, "the membership change was refused: " + e.getMessage());
        }
    }

    /** A leader promotes a learner to voter once it holds everything committed. */
    private void promoteCaughtUpLearner() {
        if (raft.role() != Role.LEADER || applier.appliedIndex() < leaderSince) {
            return;
        }
        ClusterConfig members = raft.config();
        for (long id : members.members()) {
            if (members.isLearner(id) && raft.matchIndex(id) >= raft.commitIndex()) {
                try {
                    raft.proposeConfChange(ConfChange.promote(id));
                    LOG.info("node {} has caught up: promoting it to voter", id);
                } catch (ProposalRejectedException e) {
                    LOG.debug("promotion of node {} waits: {}", id, e.getMessage());
                }
                return;
            }
        }
    }

    private void settleTransfers() {
        long now = System.nanoTime();
        transfers.removeIf(transfer -> {
            if (raft.leader() == transfer.target()) {
                transfer.done().complete(null);
                return true;
            }
            if (now - transfer.deadlineNanos() > 0) {
                transfer.done().completeExceptionally(new EventLogException(ErrorCode.TIMEOUT,
                        "node " + transfer.target() + " did not take over leadership in time"));
                return true;
            }
            return false;
        });
    }

    private void onSystemRecord(StoredRecord record) {
        MemberAddresses.apply(record, addresses);
        if (links != null && raft != null) {
            links.updatePeers(addresses);
        }
    }

    private void processReadies() {
        while (raft.hasReady()) {
            Ready ready = raft.ready();
            ready.messages().forEach(links::send);
            if (ready.softState() != null) {
                onRoleChange(ready.softState());
            }
            storage.persist(ready.snapshot() != null && ready.snapshot().meta().index() > 0 ? install(ready) : ready);
            if (syncEachBatch && !ready.entries().isEmpty()) {
                storage.sync();
            }
            raft.advance(ready);
            apply(ready.committedEntries());
        }
    }

    private void apply(List<Entry> committed) {
        if (committed.isEmpty()) {
            return;
        }
        boolean membershipChanged = false;
        for (Entry entry : committed) {
            applier.apply(entry);
            membershipChanged |= entry.kind() == EntryKind.CONFIG;
        }
        if (membershipChanged) {
            refreshView();
        }
        commits.publish(applier.readableIndex());
        for (Entry entry : committed) {
            waiters.applied(entry.index(), entry.term());
        }
        waiters.completeApplied();
        overlay.prune(applier.appliedIndex());
    }

    private void onRoleChange(SoftState soft) {
        overlay.clear();
        leaderSince = soft.role() == Role.LEADER ? raft.lastIndex() : Long.MAX_VALUE;
        LOG.info("node {} is {} in term {} (leader {})", config.nodeId(), soft.role(), soft.term(),
                soft.leader() == 0 ? "unknown" : soft.leader());
        refreshView();
        settleTransfers(); // after the refresh: a completed transfer answers with the new view
    }

    private void housekeeping() {
        promoteCaughtUpLearner();
        reportEmptyLog();
        timeouts.expire();
        waiters.pruneDone();
        forwarded.values().removeIf(append -> append.result.isDone());
        failUnsentWaiting();
        saveCommitHint(false);
        refreshView();
        settleTransfers();
    }

    /**
 * A node with no log at all (its data directory was lost, or it is new) tells its leader every tick
     * until it holds something: the leader would otherwise trust what it acknowledged before the loss.
     */
    private void reportEmptyLog() {
        long leader = raft.leader();
        if (leader != 0 && leader != config.nodeId() && storage.lastIndex() == 0) {
            links.sendApp(leader, ForwardingCodec.logEmpty());
        }
    }

    /**
     * An append that waited half its timeout without being proposed or forwarded (no leader known,
     * no link to the leader, or a leader still busy taking over) fails with 503 no_leader: it was not written.
     */
    private void failUnsentWaiting() {
        long limit = config.appendTimeout().toNanos() / 2;
        long now = System.nanoTime();
        for (Iterator<QueuedAppend> it = waiting.iterator(); it.hasNext(); ) {
            QueuedAppend append = it.next();
            if (now - append.enqueuedNanos > limit) {
                it.remove();
                String why = raft.leader() == 0 ? "no leader is known (an election is under way or a majority of"
                        + " the cluster is unreachable)" : "the leader, node " + raft.leader() + ", could not be reached";
                EventLogException error = new EventLogException(ErrorCode.NO_LEADER, why
                        + "; the append was not written");
                completions.execute(() -> append.result.completeExceptionally(error));
            }
        }
    }

    /** Records how far the log is known committed, so that a restart applies that much at once. */
    private void saveCommitHint(boolean now) {
        long readable = applier.readableIndex();
        if (readable > savedCommitHint
                && (now || System.nanoTime() - commitHintSavedNanos > COMMIT_HINT_INTERVAL_NANOS)) {
            storage.saveCommitHint(readable);
            savedCommitHint = readable;
            commitHintSavedNanos = System.nanoTime();
        }
    }

    private void refreshView() {
        view = ClusterStatus.of(raft, config, applier.appliedIndex(), links::httpAddressOf);
    }

    /** Ends the Raft group on its thread, once: pending appends fail, the Raft log is closed. */
    private void stopRaft() {
        if (stoppedRaft) {
            return;
        }
        stoppedRaft = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        try {
            shutDown();
        } finally {
            stopped.complete(null);
        }
    }

    private void shutDown() {
        running = false;
        EventLogException notWritten = new EventLogException(ErrorCode.UNAVAILABLE,
                "the node is shutting down; the append was not written");
        EventLogException unknown = new EventLogException(ErrorCode.TIMEOUT,
                "the node shut down before the append was confirmed; it may or may not have been written");
        waiting.forEach(append -> completions.execute(() -> append.result.completeExceptionally(notWritten)));
        waiting.clear();
        forwarded.values().forEach(append -> completions.execute(() -> append.result.completeExceptionally(unknown)));
        forwarded.clear();
        waiters.failAll(unknown);
        Object left;
        while ((left = inbox.poll()) != null) {
            if (left instanceof QueuedAppend append) {
                append.result.completeExceptionally(notWritten);
            }
        }
        try {
            if (failure == null && snapshotter != null) {
                saveCommitHint(true);
                snapshotter.close();
            }
        } finally {
            if (storage != null) {
                storage.close();
            }
            completions.shutdown();
        }
    }

    /** Stops the Raft thread (appends in flight fail), closes the peer links and the Raft log. */
    @Override
    public void close() {
        running = false;
        try {
            loop.execute(this::stopRaft);
            stopped.get(30, TimeUnit.SECONDS);
            completions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.warn("the Raft thread did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (links != null) {
                links.close();
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread t = new Thread(runnable, name);
        t.setDaemon(true);
        return t;
    }
}

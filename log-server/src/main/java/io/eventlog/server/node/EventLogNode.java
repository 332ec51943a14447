package io.eventlog.server.node;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLog;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamName;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.append.AppendSink;
import io.eventlog.server.append.EventValidator;
import io.eventlog.server.append.GroupCommitWriter;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointStore;
import io.eventlog.server.checkpoint.Checkpointer;
import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.recovery.LogReplay;
import io.eventlog.server.recovery.StartupRecovery;
import io.eventlog.server.replicated.PeerLinks;
import io.eventlog.server.replicated.RaftDriver;
import io.eventlog.server.replicated.TransportLinks;
import io.eventlog.server.retention.Retention;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogAppender;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.StreamIndex;
import io.eventlog.server.subscribe.CommitNotifier;
import io.eventlog.server.subscribe.EntryEmitter;
import io.eventlog.server.subscribe.EntrySource;
import io.eventlog.server.subscribe.ExpiredOffsets;
import io.eventlog.server.subscribe.LogEntrySource;
import io.eventlog.server.subscribe.StreamEntrySource;
import io.eventlog.server.transport.PeerTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An eventlog node inside this process: the log in Chronicle Queue under the data directory, one
 * group-commit writer, and readers that each keep their own position in the log. It has the same
 * semantics as the HTTP API, without a network.
 *
 * <pre>{@code
 * try (EventLogNode log = EventLogNode.open(NodeConfig.defaults(Path.of("data")))) {
 *     AppendResult r = log.append("orders-17", EventData.json("OrderPlaced", "{\"total\":42}")).block();
 *     log.subscribe(SubscribeRequest.stream("orders-17", 0)).subscribe(entry -> ...);
 * }
 * }</pre>
 */
public final class EventLogNode implements EventLog {
    private static final Logger LOG = LoggerFactory.getLogger(EventLogNode.class);
    /** Where a single node keeps its checkpoints, under its data directory. */
    private static final String CHECKPOINT_DIRECTORY = "checkpoints";

    private final NodeConfig config;
    private final DataDirectoryLock lock;
    private final ChronicleLog log;
    private final OffsetIndex offsets;
    private final EventStateMachine state;
    private final CommitNotifier commits;
    private final AppendSink writer;
    private final RaftDriver raft;
    private final Checkpointer checkpointer;
    private final EventValidator validator = new EventValidator();
    private final Scheduler readers;
    private final EntryEmitter emitter;
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    private EventLogNode(NodeConfig config, DataDirectoryLock lock, ChronicleLog log, OffsetIndex offsets,
                         EventStateMachine state, CommitNotifier commits, AppendSink writer, RaftDriver raft,
                         Checkpointer checkpointer) {
        this.config = config;
        this.lock = lock;
        this.log = log;
        this.offsets = offsets;
        this.state = state;
        this.commits = commits;
        this.writer = writer;
        this.raft = raft;
        this.checkpointer = checkpointer;
        this.readers = Schedulers.newParallel("eventlog-reader", Math.max(2, Runtime.getRuntime().availableProcessors()),
                true);
        this.emitter = new EntryEmitter(commits, readers);
        config.meterRegistry().gauge("eventlog.subscribers", subscribers);
        config.meterRegistry().gauge("eventlog.committed.offset", commits, CommitNotifier::committedOffset);
        FunctionCounter.builder("eventlog.log.excerpts.read", log, ChronicleLog::excerptsRead)
                .description("Log excerpts read by readers and subscriptions").register(config.meterRegistry());
        Gauge.builder("eventlog.idempotency.keys", state, EventStateMachine::idempotencyKeys)
                .description("Idempotency-Keys remembered").register(config.meterRegistry());
        FunctionCounter.builder("eventlog.idempotency.keys.dropped", state,
                        EventStateMachine::idempotencyKeysDroppedByBound)
                .description("Idempotency-Keys forgotten before their window ended, past --idempotency-max-keys")
                .register(config.meterRegistry());
    }

    /**
     * Opens (or creates) the node's data directory. A single node replays its log to rebuild its
     * state; a cluster member (config with replication) opens its Raft log, applies what it knows is
     * committed, and joins its peers.
     */
    public static EventLogNode open(NodeConfig config) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDir());
        ChronicleLog log = null;
        try {
            log = ChronicleLog.open(config.dataDir(), config.rollCycle(), config.durability() == Durability.FSYNC);
            NodeMode.check(config, log);
            return config.replication() == null ? openSingle(config, lock, log) : openReplicated(config, lock, log);
        } catch (RuntimeException | Error e) {
            if (log != null) {
                log.close();
            }
            lock.close();
            throw e;
        }
    }

    private static EventLogNode openSingle(NodeConfig config, DataDirectoryLock lock, ChronicleLog log) {
        long started = System.nanoTime();
        Path checkpointDirectory = config.dataDir().toAbsolutePath().normalize().resolve(CHECKPOINT_DIRECTORY);
        CheckpointStore checkpoints = CheckpointStore.open(checkpointDirectory, config.checkpoints().kept());
        StartupRecovery.Result recovered;
        try (LogReader reader = log.createReader()) {
            recovered = StartupRecovery.recover(reader, checkpoints, config.idempotency());
            writeStartMarker(log, reader, recovered.replay().lastGoodOffset());
        }
        LogReplay.Result replay = recovered.replay();
        LOG.info("opened {}: {}{} entries replayed up to offset {} ({} dead records cut back) in {} ms",
                config.dataDir().toAbsolutePath().normalize(), startingPoint(recovered.checkpoint()), replay.liveRecords(),
                replay.lastGoodOffset(), replay.deadRecords(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        OffsetIndex offsets = recovered.offsets();
        offsets.dropBelowQueueIndex(log.firstQueueIndex()); // what retention deleted after the checkpoint
        EventStateMachine state = recovered.state();
        CommitNotifier commits = new CommitNotifier(replay.lastGoodOffset());
        Checkpointer checkpointer = new Checkpointer(checkpoints, log, state, offsets, config.checkpoints(),
                recovered.checkpoint(), config.meterRegistry());
        Retention retention = new Retention(log, offsets, config.retention(), checkpoints::oldestAnchorQueueIndex,
                () -> { }, commits::wake);
        GroupCommitWriter writer = new GroupCommitWriter(log::createAppender, offsets, state, commits,
                LogReplay.nextOffsetAfter(replay.lastGoodOffset()), config.durability() == Durability.FSYNC,
                config.maxQueuedBytes(), config.meterRegistry(), () -> {
                    checkpointer.betweenGroups();
                    retention.maybeRun();
                });
        return new EventLogNode(config, lock, log, offsets, state, commits, writer, null, checkpointer);
    }

    private static String startingPoint(Checkpoint checkpoint) {
        return checkpoint == Checkpoint.NONE ? "no checkpoint, "
                : "checkpoint at offset " + checkpoint.offset() + " (" + checkpoint.file().getFileName() + ") and ";
    }

    private static EventLogNode openReplicated(NodeConfig config, DataDirectoryLock lock, ChronicleLog log) {
        OffsetIndex offsets = new OffsetIndex();
        EventStateMachine state = new EventStateMachine(config.idempotency());
        CommitNotifier commits = new CommitNotifier(-1);
        // One thread runs the Raft group and its peer connections (see RaftDriver).
        EventLoopGroup raftLoop = PeerTransport.newEventLoops("eventlog-raft", 1);
        RaftDriver raft = new RaftDriver(config.replication(), log, config.dataDir(), state, offsets, commits,
                config.durability() == Durability.FSYNC, config.maxQueuedBytes(), config.checkpoints(),
                config.retention(), config.idempotency(), config.meterRegistry(), raftLoop.next());
        PeerLinks links = TransportLinks.start(config.replication(), raft, config.meterRegistry(), raftLoop);
        try {
            raft.start(links);
        } catch (RuntimeException | Error e) {
            raft.close();
            throw e;
        }
        return new EventLogNode(config, lock, log, offsets, state, commits, raft, raft, null);
    }

    /**
     * Appends and syncs the start-up marker that ends whatever replay cut back, then checks that the
     * replay's reader reaches it. It cannot when the log has a hole that Chronicle's appender writes
     * past (pages lost in a power loss): entries appended now would be acknowledged yet unreadable, so
     * the node refuses to start instead.
     */
    private static void writeStartMarker(ChronicleLog log, LogReader replayReader, long lastGoodOffset) {
        long markerIndex;
        try (LogAppender appender = log.createAppender()) {
            markerIndex = appender.append(RecordCodec.encode(
                    StoredRecord.resumeMarker(lastGoodOffset, System.currentTimeMillis())));
            appender.sync();
        } catch (AssertionError e) {
            // With assertions on (-ea), Chronicle's appender itself trips over such a hole.
            throw hole(lastGoodOffset, replayReader, e);
        }
        LogReader.Excerpt seen = replayReader.next(LogReader.EVERYTHING);
        if (seen == null || seen.queueIndex() != markerIndex) {
            throw hole(lastGoodOffset, replayReader, null);
        }
    }

    private static EventLogException hole(long lastGoodOffset, LogReader replayReader, Throwable cause) {
        return new EventLogException(ErrorCode.UNAVAILABLE, "the log has a hole after offset " + lastGoodOffset
                + " (queue index " + Long.toHexString(replayReader.nextIndex()) + "; pages lost in a power loss?):"
                + " entries written after it could not be read back. Move the data directory aside and"
                + " restore it from a backup or a replica.", cause);
    }

    @Override
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options) {
        return Mono.defer(() -> {
            StreamName.requireValid(stream);
            Objects.requireNonNull(options, "options");
            if (events == null || events.isEmpty()) {
                throw new EventLogException(ErrorCode.EMPTY_BODY, "an append needs at least one event");
            }
            List<byte[]> bodies = new ArrayList<>(events.size());
            byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
            for (EventData event : events) {
                EventData valid = validator.validate(event);
                bodies.add(RecordCodec.encodeBody(streamBytes, valid.type(), valid.headers(), valid.data()));
            }
            return Mono.fromFuture(writer.submit(stream, bodies, options));
        });
    }

    @Override
    public Flux<Entry> read(ReadRequest request) {
        return awaitCommitted(request.minOffset()).thenMany(Flux.defer(() -> {
            if (request.isLog()) {
                return emitter.bounded(() -> new LogEntrySource(log.createReader(), offsets, request.from()),
                        request.limit());
            }
            if (committedVersions(request.stream()) == 0) {
                return Flux.error(new StreamNotFoundException(request.stream()));
            }
            return emitter.bounded(() -> streamSource(request.stream(), request.from()), request.limit());
        }));
    }

    @Override
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return awaitCommitted(request.minOffset()).thenMany(Flux.defer(() -> {
            long committed = commits.committedOffset();
            Supplier<EntrySource> source;
            if (request.isLog()) {
                long from = request.fromEnd() ? committed + 1 : request.from();
                source = () -> new LogEntrySource(log.createReader(), offsets, from);
            } else {
                long from = request.fromEnd() ? committedVersions(request.stream()) : request.from();
                source = () -> streamSource(request.stream(), from);
            }
            return emitter.live(source)
                    .takeUntilOther(closed.asMono())
                    .doOnSubscribe(s -> subscribers.incrementAndGet())
                    .doFinally(signal -> subscribers.decrementAndGet());
        }));
    }

    private EntrySource streamSource(String stream, long fromVersion) {
        return new StreamEntrySource(log.createReader(), offsets, state.streams(), stream, fromVersion);
    }

    /** Versions of the stream that are committed (the writer indexes a version before its group commits). */
    private long committedVersions(String stream) {
        StreamIndex index = state.streams().get(stream);
        return index == null ? 0 : index.countAtOrBelow(commits.committedOffset());
    }

    /** Completes once the node has committed {@code offset} (read-your-writes); at once for -1. */
    private Mono<Void> awaitCommitted(long offset) {
        if (offset < 0 || commits.committedOffset() >= offset) {
            return Mono.empty();
        }
        Mono<Void> reached = Mono.create(sink -> {
            Runnable check = () -> {
                if (commits.committedOffset() >= offset) {
                    sink.success();
                }
            };
            AutoCloseable registration = commits.register(check);
            sink.onDispose(() -> {
                try {
                    registration.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            check.run();
        });
        return reached.timeout(config.minOffsetTimeout(), Mono.error(() -> new EventLogException(ErrorCode.TIMEOUT,
                "this node has not reached offset " + offset + " within " + config.minOffsetTimeout().toMillis()
                        + " ms (it is at " + commits.committedOffset() + ")")));
    }

    /** The last committed offset, -1 for an empty log. Offsets start at 1. */
    public long lastOffset() {
        return commits.committedOffset();
    }

    /**
     * Writes a checkpoint of the node's state as it is once the appends queued now are written (or
     * answers the newest one when nothing was appended since). Completes with the checkpoint's last
     * offset and file; {@link Checkpoint#NONE} for an empty log. A cluster member's checkpoint is its
     * Raft snapshot: its offset is the Raft index it covers, its file {@code raft/snapshot}.
     */
    public Mono<Checkpoint> checkpoint() {
        return Mono.fromFuture(checkpointer != null ? checkpointer::request : raft::checkpoint);
    }

    /**
     * The first offset this node holds: 1 unless retention deleted older entries or the node started
     * from a snapshot received from its leader. Reading below it fails with 410 {@code offset_expired}.
     */
    public long firstOffsetHeld() {
        return offsets.firstHeldOffset();
    }

    /**
     * Throws 410 {@code offset_expired} if the subscription would start below what this node holds
     * (the subscription itself would fail so at its first read).
     */
    public void requireStartHeld(SubscribeRequest request) {
        ExpiredOffsets.requireStartHeld(offsets, state.streams(), request);
    }

    /** Live subscriptions right now. */
    public int subscriberCount() {
        return subscribers.get();
    }

    /** The node's view of its cluster when it is a cluster member; null for a single node. */
    public ClusterView clusterView() {
        return raft == null ? null : raft.clusterView();
    }

    /** Membership and leadership changes when the node is a cluster member; null for a single node. */
    public ClusterAdmin clusterAdmin() {
        return raft;
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Completes live subscriptions, commits what is queued, writes a checkpoint (a single node), and
     * releases the data directory.
     */
    @Override
    public void close() {
        closed.tryEmitEmpty();
        writer.close();
        if (checkpointer != null) {
            checkpointer.close();
        }
        readers.disposeGracefully().timeout(Duration.ofSeconds(5)).onErrorResume(e -> Mono.empty()).block();
        log.close();
        lock.close();
    }
}

package io.eventlog.benchmarks.storage;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.EventData;
import io.eventlog.benchmarks.storage.BenchSupport.InFlight;
import io.eventlog.server.append.EventValidator;
import io.eventlog.server.append.GroupCommitWriter;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import io.eventlog.server.subscribe.CommitNotifier;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The storage path's throughput, in entries per second (every score is entries/s: batched methods
 * use {@link OperationsPerInvocation}), with its ceiling measured in the same run.
 *
 * <ul>
 *   <li>{@code rawChronicle}: the ceiling, a Chronicle Queue appender writing 100-byte documents
 *       (same roll cycle as the node, no sync).</li>
 *   <li>{@code rawChronicleDocPer100}: 100 such payloads per Chronicle document (entries/s): the ceiling if
 *       the node wrote one document per append instead of one per entry.</li>
 *   <li>{@code rawChronicleSync100}, {@code rawChronicleSync1600}: the fsync ceiling, 100 (1,600) such
 *       documents then {@code appender.sync()} (msync MS_SYNC), as the node's fsync mode does once per
 *       group commit (1,600 = the largest group 16 appends of 100 in flight can form).</li>
 *   <li>{@code embeddedSingle}: one event per append through the public {@code EventLog} API, the caller
 *       waiting for each acknowledgement (one append in flight: a round-trip figure).</li>
 *   <li>{@code embeddedSinglePipelined}: one event per append, {@code singlesInFlight} appends in flight.</li>
 *   <li>{@code embeddedBatched}: appends of {@value #BATCH} events, {@code batchesInFlight} appends in
 *       flight; durability process.</li>
 *   <li>{@code embeddedBatchedFsync}: the same with durability fsync (one msync per group commit).</li>
 *   <li>{@code writerOnlyBatched}: the node's {@code GroupCommitWriter} alone, fed pre-validated,
 *       pre-encoded batches of 100 (the group-commit path without the caller's share).</li>
 *   <li>{@code callerValidateEncode}: the caller's share alone: {@code EventValidator.validate} and
 *       {@code RecordCodec.encodeBody} per event, as {@code EventLogNode.append} does on the calling thread.</li>
 * </ul>
 *
 * Why a window of appends in flight: the node's throughput comes from group commit, which needs
 * several appends queued while the writer commits the previous group; a caller that blocks on each
 * append measures its round trip instead. Each operation submits one append and waits only when the
 * window is full, so the writer always has work, and the window bounds what is queued (an open-ended
 * stream of appends would hit the node's 256 MiB back-pressure limit). The appends that are still
 * in flight when an iteration ends are awaited in the iteration's tear-down (not timed): at most
 * 16 x 100 entries against millions per iteration. Appends rotate over {@value #STREAMS} streams.
 * Events are 100-byte JSON objects, validated and encoded by the caller (benchmark) thread as the API
 * does; the node stores each as a record of about 160 bytes (header, stream name, CRC32C).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class AppendBenchmark {
    static final int PAYLOAD = 100;
    static final int BATCH = 100;
    static final int STREAMS = 64;
    static final int BIG_GROUP = 1600;

    /** A Chronicle Queue and its appender, on the benchmark thread. */
    public abstract static class RawQueueState {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        final byte[] payload = BenchSupport.jsonPayload(0, PAYLOAD);

        abstract SyncMode syncMode();

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.tempDir("bench-raw", null);
            queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.FAST_HOURLY)
                    .syncMode(syncMode()).build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Trial)
        public void close() {
            appender.close();
            queue.close();
            BenchSupport.deleteRecursively(dir);
        }

        final void append() {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(payload);
            }
        }
    }

    @State(Scope.Thread)
    public static class RawQueue extends RawQueueState {
        @Override
        SyncMode syncMode() {
            return SyncMode.NONE;
        }
    }

    @State(Scope.Thread)
    public static class RawSyncQueue extends RawQueueState {
        @Override
        SyncMode syncMode() {
            return SyncMode.SYNC;
        }
    }

    /** An embedded node in a temporary directory, and the windows of appends in flight. */
    @State(Scope.Benchmark)
    public abstract static class NodeState {
        @Param("16")
        public int batchesInFlight;
        @Param("256")
        public int singlesInFlight;

        Path dir;
        SimpleMeterRegistry meters;
        EventLogNode node;
        InFlight batches;
        InFlight singles;
        final List<EventData> batch = BenchSupport.events(BATCH, PAYLOAD);
        final EventData one = batch.get(0);
        final String[] streams = new String[STREAMS];
        int next;

        abstract Durability durability();

        @Setup(Level.Trial)
        public void open() {
            for (int i = 0; i < STREAMS; i++) {
                streams[i] = "bench-" + i;
            }
            dir = BenchSupport.tempDir("bench-node", null);
            meters = new SimpleMeterRegistry();
            node = EventLogNode.open(NodeConfig.defaults(dir).withDurability(durability()).withMeterRegistry(meters));
            batches = new InFlight(batchesInFlight);
            singles = new InFlight(singlesInFlight);
        }

        @TearDown(Level.Iteration)
        public void drain() {
            batches.awaitAll();
            singles.awaitAll();
        }

        @TearDown(Level.Trial)
        public void close() {
            DistributionSummary groups = meters.find("eventlog.commit.batch.size").summary();
            if (groups != null) {
                System.out.printf("%nnode: %,d group commits, %.1f entries per group on average, largest %.0f%n",
                        groups.count(), groups.mean(), groups.max());
            }
            node.close();
            BenchSupport.deleteRecursively(dir);
        }

        String nextStream() {
            int i = next++;
            return streams[i & (STREAMS - 1)];
        }
    }

    @State(Scope.Benchmark)
    public static class ProcessNode extends NodeState {
        @Override
        Durability durability() {
            return Durability.PROCESS;
        }
    }

    @State(Scope.Benchmark)
    public static class FsyncNode extends NodeState {
        @Override
        Durability durability() {
            return Durability.FSYNC;
        }
    }

    /**
     * The node's group-commit writer alone, fed events already validated and encoded (what
     * {@code EventLogNode.append} hands it): the storage path's ceiling without the caller's work.
     */
    @State(Scope.Benchmark)
    public static class WriterOnly {
        @Param("16")
        public int batchesInFlight;

        Path dir;
        ChronicleLog log;
        GroupCommitWriter writer;
        Semaphore window;
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final String[] streams = new String[STREAMS];
        final List<List<byte[]>> bodies = new ArrayList<>();
        int next;

        @Setup(Level.Trial)
        public void open() {
            EventValidator validator = new EventValidator();
            List<EventData> events = BenchSupport.events(BATCH, PAYLOAD);
            for (int i = 0; i < STREAMS; i++) {
                streams[i] = "bench-" + i;
                List<byte[]> encoded = new ArrayList<>();
                for (EventData e : events) {
                    EventData v = validator.validate(e);
                    encoded.add(RecordCodec.encodeBody(streams[i], v.type(), v.headers(), v.data()));
                }
                bodies.add(List.copyOf(encoded));
            }
            dir = BenchSupport.tempDir("bench-writer", null);
            log = ChronicleLog.open(dir, RollCycles.FAST_HOURLY, false);
            writer = new GroupCommitWriter(log::createAppender, new OffsetIndex(),
                    new EventStateMachine(IdempotencyLimits.defaults()), new CommitNotifier(-1), 1, false, 256L << 20,
                    new SimpleMeterRegistry(), () -> { });
            window = new Semaphore(batchesInFlight);
        }

        @TearDown(Level.Iteration)
        public void drain() {
            window.acquireUninterruptibly(batchesInFlight);
            window.release(batchesInFlight);
            if (error.get() != null) {
                throw new IllegalStateException(error.get());
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            writer.close();
            log.close();
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** The caller's share of an append: validating and encoding 100 events (per-event rate). */
    @State(Scope.Thread)
    public static class CallerOnly {
        final EventValidator validator = new EventValidator();
        final List<EventData> batch = BenchSupport.events(BATCH, PAYLOAD);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void callerValidateEncode(CallerOnly c, Blackhole bh) {
        byte[] stream = "bench-0".getBytes(StandardCharsets.UTF_8);
        for (EventData event : c.batch) {
            EventData v = c.validator.validate(event);
            bh.consume(RecordCodec.encodeBody(stream, v.type(), v.headers(), v.data()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writerOnlyBatched(WriterOnly w) {
        w.window.acquireUninterruptibly();
        int i = w.next++ & (STREAMS - 1);
        w.writer.submit(w.streams[i], w.bodies.get(i), AppendOptions.DEFAULT).whenComplete((r, e) -> {
            if (e != null) {
                w.error.compareAndSet(null, e);
            }
            w.window.release();
        });
    }

    @Benchmark
    public void rawChronicle(RawQueue q) {
        q.append();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawChronicleSync100(RawSyncQueue q) {
        for (int i = 0; i < BATCH; i++) {
            q.append();
        }
        q.appender.sync();
    }

    /**
     * 100 payloads of 100 bytes in one Chronicle document (per-entry rate): what Chronicle gives when its
     * per-document cost (header CAS, index update) is paid once per append instead of once per entry.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawChronicleDocPer100(RawQueue q) {
        try (DocumentContext dc = q.appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            for (int i = 0; i < BATCH; i++) {
                bytes.write(q.payload);
            }
        }
    }

    /** One msync per 1,600 documents: the most the node's fsync groups hold with 16 appends of 100 in flight. */
    @Benchmark
    @OperationsPerInvocation(BIG_GROUP)
    public void rawChronicleSync1600(RawSyncQueue q) {
        for (int i = 0; i < BIG_GROUP; i++) {
            q.append();
        }
        q.appender.sync();
    }

    @Benchmark
    public AppendResult embeddedSingle(ProcessNode n) {
        return n.node.append(n.nextStream(), n.one).block();
    }

    @Benchmark
    public void embeddedSinglePipelined(ProcessNode n) {
        n.singles.submit(n.node.append(n.nextStream(), n.one));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void embeddedBatched(ProcessNode n) {
        n.batches.submit(n.node.append(n.nextStream(), n.batch, AppendOptions.DEFAULT));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void embeddedBatchedFsync(FsyncNode n) {
        n.batches.submit(n.node.append(n.nextStream(), n.batch, AppendOptions.DEFAULT));
    }
}

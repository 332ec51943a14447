package io.eventlog.benchmarks.raft;

import io.eventlog.replication.Entry;
import io.eventlog.replication.MemoryStorage;
import io.eventlog.replication.Message;
import io.eventlog.replication.RaftConfig;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Ready;
import io.eventlog.replication.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Raft core's own cost: a 3-node group in one thread over an in-memory network with instant
 * storage. Each invocation proposes a batch of 100-byte entries on the leader and runs the group
 * until every node has committed and applied them; the score is committed entries per second.
 *
 * <pre>
 * mvn -o -q -pl benchmarks -am package -DskipTests
 * mvn -o -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp "benchmarks/target/classes:replication/target/classes:$(cat benchmarks/target/cp.txt)" \
 *     org.openjdk.jmh.Main RaftCommitBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RaftCommitBenchmark {

    /** Entries per proposal: the driver batches what clients sent since its last Ready. */
    static final int BATCH = 256;
    /** A small batch, to show the fixed cost of one round (messages, Readies, commit). */
    static final int SMALL_BATCH = 16;
    private static final long GROUP = 1;

    private RaftNode[] nodes;
    private MemoryStorage[] storages;
    private final ArrayDeque<Message> network = new ArrayDeque<>();
    private List<byte[]> payloads;
    private List<byte[]> smallPayloads;
    private long applied;

    @Setup(Level.Trial)
    public void setUp() {
        nodes = new RaftNode[3];
        storages = new MemoryStorage[3];
        for (int i = 0; i < 3; i++) {
            storages[i] = MemoryStorage.bootstrap(1, 2, 3);
            RaftConfig cfg = RaftConfig.builder(i + 1, GROUP, new SplittableRandom(i)).maxUncommittedBytes(0).build();
            nodes[i] = new RaftNode(cfg, storages[i]);
        }
        nodes[0].campaign();
        run();
        if (nodes[0].role() != Role.LEADER) {
            throw new IllegalStateException("node 1 not elected");
        }
        payloads = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            payloads.add(new byte[100]);
        }
        smallPayloads = payloads.subList(0, SMALL_BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long commitBatch() {
        return commit(payloads);
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_BATCH)
    public long commitSmallBatch() {
        return commit(smallPayloads);
    }

    private long commit(List<byte[]> payloads) {
        long first = nodes[0].propose(payloads);
        long last = first + payloads.size() - 1;
        run();
        if (nodes[0].commitIndex() < last || nodes[2].appliedIndex() < last) {
            throw new IllegalStateException("batch not committed");
        }
        if (storages[0].lastIndex() - storages[0].firstIndex() > 50_000) {
            compactAll();
        }
        return applied;
    }

    /** Processes every node's output and delivers every message until the group is quiet. */
    private void run() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int i = 0; i < 3; i++) {
                RaftNode n = nodes[i];
                while (n.hasReady()) {
                    busy = true;
                    Ready r = n.ready();
                    network.addAll(r.messages());
                    if (r.needsPersistence()) {
                        storages[i].persist(r);
                        n.advance(r);
                    }
                    for (Entry e : r.committedEntries()) {
                        applied += e.payload().length;
                    }
                }
            }
            Message m;
            while ((m = network.poll()) != null) {
                busy = true;
                nodes[(int) m.to() - 1].step(m);
            }
        }
    }

    private void compactAll() {
        for (int i = 0; i < 3; i++) {
            long index = nodes[i].appliedIndex();
            storages[i].compact(nodes[i].snapshotMeta(index), new byte[0]);
        }
    }
}

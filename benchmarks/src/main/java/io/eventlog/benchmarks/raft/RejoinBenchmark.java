package io.eventlog.benchmarks.raft;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.benchmarks.storage.BenchSupport;
import io.eventlog.benchmarks.storage.LogOptions;
import io.eventlog.benchmarks.storage.UnderscoredNumber;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.replicated.ReplicationConfig;
import io.eventlog.server.retention.RetentionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.util.retry.Retry;

/**
 * Time for a member that lost its whole data directory to rejoin a 3-member cluster: it restarts
 * with the same id and peers on an empty directory, tells the leader its log is empty, receives the
 * leader's snapshot (its newest checkpoint, to which retention compacted the Raft log) by chunked
 * InstallSnapshot and then the log after it; with {@code --no-retention}, the whole log instead.
 *
 * <pre>
 * java @config/jvm.options -Xmx3g -cp benchmarks/target/benchmarks.jar \
 *     io.eventlog.benchmarks.raft.RejoinBenchmark --entries 1000000
 * </pre>
 *
 * Three embedded members in this JVM on loopback (durability process, 100 ms tick, one queue file per
 * second so that retention (every file it may delete, checked every second) has old files to delete
 * within the run). Builds the log
 * through member 1 (a follower forwards to the leader): appends of {@code --batch} events (100) of
 * {@code --payload} bytes of JSON (100), round robin over {@code --streams} streams (1000), each with
 * a unique Idempotency-Key, {@code --in-flight} appends in flight (16). Every member then takes a
 * checkpoint, {@code --tail} more entries (100,000) are appended after it (a rejoining member receives
 * them as log), and the benchmark waits until retention has deleted the files before the checkpoint,
 * compacting the Raft log to it. Then {@code --runs} times (5): a follower is stopped, its
 * data directory deleted, and it is started again; the time from the start of {@code open} until it
 * has applied the leader's last offset is reported (its median), with the part {@code open} took. For
 * comparison, a follower is then restarted {@code --runs} times on its own data (its snapshot, taken at
 * close, covers its whole log): the median time of {@code open}.
 * {@code --dir D} (a new or empty folder; default a temporary one, deleted at the end unless {@code --keep}).
 */
@Command(name = "RejoinBenchmark", mixinStandardHelpOptions = true,
        description = "Time for a member that lost its data directory to rejoin a 3-member cluster.")
public final class RejoinBenchmark implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Mixin
    final LogOptions log = new LogOptions(1_000_000, 1000);

    @Option(names = "--tail", paramLabel = "N", defaultValue = "100000", converter = UnderscoredNumber.ToLong.class,
            description = "Entries appended after the checkpoint (underscores allowed). Default: ${DEFAULT-VALUE}.")
    long tail;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Rejoins of a wiped member, then as many restarts on its own data. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--no-retention", description = "No retention: a rejoining member receives the whole log.")
    boolean noRetention;

    /** The data directory in use: --dir, or a temporary one. */
    private Path dir;
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private final EventLogNode[] nodes = new EventLogNode[4];

    public static void main(String[] args) {
        System.exit(new CommandLine(new RejoinBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (log.entries % log.batch != 0 || tail % log.batch != 0 || runs < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--entries and --tail must be multiples of --batch, --runs at least 1");
        }
        run();
        return 0;
    }

    private void run() throws IOException {
        boolean temporary = log.dir == null;
        dir = temporary ? BenchSupport.tempDir("eventlog-rejoin", null) : Files.createDirectories(log.dir);
        System.out.printf(Locale.ROOT, "RejoinBenchmark: 3 members, %,d entries (%,d of them after the checkpoint) of %d-byte"
                        + " JSON events, %,d streams, %d events per keyed append, %d in flight, retention %s; max heap"
                        + " %,d MiB, %d CPUs, data dir %s%n", log.entries + tail, tail, log.payload, log.streams, log.batch, log.inFlight,
                noRetention ? "off" : "on", Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                dir);
        for (long id = 1; id <= 3; id++) {
            peers.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
        try {
            for (int id = 1; id <= 3; id++) {
                start(id);
            }
            build(0, log.entries);
            for (int id = 1; id <= 3; id++) {
                Checkpoint checkpoint = nodes[id].checkpoint().block(WAIT);
                System.out.printf(Locale.ROOT, "member %d: checkpoint at index %,d, %,d KiB%n", id, checkpoint.offset(),
                        Files.size(checkpoint.file()) >> 10);
            }
            sleepIntoTheNextSecond(); // the tail in files of its own: those before it may go
            build(log.entries, tail);
            if (!noRetention) {
                awaitRetention();
            }
            long[] total = new long[runs];
            long[] open = new long[runs];
            for (int run = 0; run < runs; run++) {
                rejoin(run, total, open);
            }
            System.out.printf(Locale.ROOT, "wiped member caught up with the leader: median %,.0f ms of %s;"
                    + " of which open() until it serves: median %,.0f ms%n", median(total) / 1e6, millis(total),
                    median(open) / 1e6);
            long[] restarts = new long[runs];
            for (int run = 0; run < runs; run++) {
                int member = aFollower();
                nodes[member].close();
                long started = System.nanoTime();
                start(member);
                restarts[run] = System.nanoTime() - started;
            }
            System.out.printf(Locale.ROOT, "member restarted on its own data: open() median %,.0f ms of %s%n",
                    median(restarts) / 1e6, millis(restarts));
        } finally {
            for (int id = 1; id <= 3; id++) {
                if (nodes[id] != null) {
                    nodes[id].close();
                }
            }
            if (temporary && !log.keep) {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    /** Appends {@code count} entries, the first append numbered {@code first / batch} (its key). */
    private void build(long first, long count) {
        String[] names = new String[log.streams];
        for (int s = 0; s < log.streams; s++) {
            names[s] = "stream-" + s;
        }
        List<EventData> events = BenchSupport.events(log.batch, log.payload);
        long started = System.nanoTime();
        BenchSupport.InFlight window = new BenchSupport.InFlight(log.inFlight);
        for (long append = first / log.batch; append < (first + count) / log.batch; append++) {
            // An election under load fails appends with 503 or 504: retried with the same key, each lands once.
            window.submit(nodes[1].append(names[(int) (append % log.streams)], events,
                            AppendOptions.DEFAULT.withIdempotencyKey("key-" + append))
                    .retryWhen(Retry.backoff(20, Duration.ofMillis(50))
                            .filter(e -> e instanceof EventLogException el && el.code().retryable())));
        }
        window.awaitAll();
        System.out.printf(Locale.ROOT, "%,d entries appended in %.1f s; member 1's log %,d MiB%n", count,
                (System.nanoTime() - started) / 1e9,
                BenchSupport.apparentSize(dir.resolve("n1").resolve("log")) >> 20);
    }

    private void rejoin(int run, long[] total, long[] open) {
        int wiped = aFollower();
        long target = nodes[leader()].lastOffset();
        nodes[wiped].close();
        nodes[wiped] = null;
        BenchSupport.deleteRecursively(dir.resolve("n" + wiped));
        long started = System.nanoTime();
        EventLogNode node = start(wiped);
        open[run] = System.nanoTime() - started;
        long deadline = started + WAIT.toNanos();
        while (node.lastOffset() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("member " + wiped + " did not catch up within " + WAIT);
            }
            sleep();
        }
        total[run] = System.nanoTime() - started;
        System.out.printf(Locale.ROOT, "run %d: member %d caught up to offset %,d in %,.0f ms (open %,.0f ms),"
                + " holding the log from offset %,d%n", run + 1, wiped, target, total[run] / 1e6, open[run] / 1e6,
                node.firstOffsetHeld());
    }

    private EventLogNode start(int id) {
        ReplicationConfig replication = ReplicationConfig.of(id, peers, "127.0.0.1:" + (18000 + id));
        RetentionConfig keep = noRetention
                ? RetentionConfig.NONE : RetentionConfig.NONE.withMaxBytes(1).withCheckInterval(Duration.ofSeconds(1));
        nodes[id] = EventLogNode.open(NodeConfig.defaults(dir.resolve("n" + id)).withReplication(replication)
                .withRollCycle(TestRollCycles.TEST_SECONDLY).withRetention(keep));
        return nodes[id];
    }

    /** Waits until every member has deleted the files before its checkpoint (compacting its Raft log). */
    private void awaitRetention() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int id = 1; id <= 3; id++) {
            while (nodes[id].firstOffsetHeld() <= 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("member " + id + " deleted nothing within " + WAIT);
                }
                sleep();
            }
            System.out.printf(Locale.ROOT, "member %d holds the log from offset %,d%n", id, nodes[id].firstOffsetHeld());
        }
    }

    private static void sleepIntoTheNextSecond() {
        try {
            Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int leader() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (int id = 1; id <= 3; id++) {
                String leader = nodes[id] == null ? null : nodes[id].clusterView().leader();
                if (leader != null && nodes[Integer.parseInt(leader)] != null) {
                    return Integer.parseInt(leader);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within " + WAIT);
            }
            sleep();
        }
    }

    private int aFollower() {
        int leader = leader();
        return leader == 3 ? 2 : 3;
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<String> millis(long[] nanos) {
        return Arrays.stream(nanos).mapToObj(n -> String.format(Locale.ROOT, "%,.0f", n / 1e6)).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

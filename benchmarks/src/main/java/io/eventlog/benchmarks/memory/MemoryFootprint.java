package io.eventlog.benchmarks.memory;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.benchmarks.storage.BenchSupport;
import io.eventlog.benchmarks.storage.BenchSupport.InFlight;
import io.eventlog.benchmarks.storage.LogOptions;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Appends many entries through the embedded node and reports what the node holds in memory, beside
 * what its lookup structures should need.
 *
 * <pre>
 * java @config/jvm.options -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     io.eventlog.benchmarks.memory.MemoryFootprint --entries 10000000 --streams 1
 * </pre>
 *
 * Options: {@code --entries N} (10,000,000), {@code --streams S} (1; appends go round-robin over the
 * streams), {@code --batch B} events per append (100), {@code --payload P} bytes of JSON per event (100),
 * {@code --in-flight W} appends in flight (16), {@code --checkpoints C} measurements during the run (4),
 * {@code --durability process|fsync}, {@code --dir D} (an empty or new folder; default a temporary one,
 * deleted at the end unless {@code --keep}), {@code --histogram} (print the top of
 * {@code jcmd <pid> GC.class_histogram} at the end), {@code --no-reopen} (skip the restart measurement),
 * {@code --keyed} (every append carries a unique Idempotency-Key, as a client retrying safely would),
 * {@code --idempotency-window-ms W} (the node's idempotency window; default 10 minutes).
 *
 * <p>Heap figures are {@code MemoryMXBean} used heap after three {@code System.gc()} calls (full
 * collections with G1), so they count live objects only. The expected figure is the node's per-stream
 * version index: 8 bytes per entry plus each stream's fixed objects (index object, array header,
 * map node, name string, map table slot); it is given both ideal (arrays exactly full) and as the
 * current {@code StreamIndex} allocates it (arrays doubling from 4 slots).
 */
@Command(name = "MemoryFootprint", mixinStandardHelpOptions = true,
        description = "What the embedded node holds in memory after many appends, beside what its lookup structures should need.")
public final class MemoryFootprint implements Callable<Integer> {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Spec
    CommandSpec spec;

    @Mixin
    final LogOptions log = new LogOptions(10_000_000, 1);

    @Option(names = "--checkpoints", paramLabel = "N", defaultValue = "4", description = "Measurements during the run. Default: ${DEFAULT-VALUE}.")
    int checkpoints;

    @Option(names = "--durability", paramLabel = "process|fsync", defaultValue = "process",
            description = "The node's durability. Default: ${DEFAULT-VALUE}.")
    Durability durability;

    @Option(names = "--histogram", description = "Print the top of jcmd <pid> GC.class_histogram at the end.")
    boolean histogram;

    @Option(names = "--no-reopen", description = "Skip the restart measurement.")
    boolean noReopen;

    @Option(names = "--keyed", description = "Every append carries a unique Idempotency-Key, as a client retrying safely would.")
    boolean keyed;

    @Option(names = "--idempotency-window-ms", paramLabel = "MS", description = "The node's idempotency window. Default: the node's (10 minutes).")
    Long idempotencyWindowMs;

    /** The data directory in use: --dir, or a temporary one. */
    private Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MemoryFootprint()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (log.entries <= 0 || log.streams <= 0 || log.batch <= 0 || checkpoints <= 0 || log.entries % log.batch != 0) {
            throw new ParameterException(spec.commandLine(), "--entries must be a positive multiple of --batch;"
                    + " --streams, --batch and --checkpoints positive");
        }
        run();
        return 0;
    }

    private void run() throws Exception {
        boolean temporary = log.dir == null;
        dir = temporary ? BenchSupport.tempDir("eventlog-memory", null) : log.dir;
        if (!temporary && Files.isDirectory(dir)) {
            try (Stream<Path> content = Files.list(dir)) {
                if (content.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty");
                }
            }
        }
        String[] names = new String[log.streams];
        for (int s = 0; s < log.streams; s++) {
            names[s] = "stream-" + s;
        }
        List<EventData> events = BenchSupport.events(log.batch, log.payload);
        System.out.printf(Locale.ROOT, "MemoryFootprint: %,d entries of %d-byte JSON events, %,d stream(s), %d events"
                        + " per append%s, %d appends in flight, durability %s, idempotency window %s, max heap %,d MiB, %d CPUs, data dir %s%n",
                log.entries, log.payload, log.streams, log.batch, keyed ? " (each with a unique Idempotency-Key)" : "", log.inFlight, durability.name().toLowerCase(Locale.ROOT),
                idempotencyWindowMs == null ? "default" : idempotencyWindowMs + " ms",
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), dir);

        long baseline = usedHeapAfterGc();
        long[] perStream = new long[log.streams];
        long appendNanos = 0;
        long appended = 0;
        long appendsDone = 0;
        EventLogNode node = EventLogNode.open(config());
        long heapOpen = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "heap used after GC: before open %s, empty node open %s (node's fixed cost %s)%n",
                mib(baseline), mib(heapOpen), mib(heapOpen - baseline));
        System.out.printf(Locale.ROOT, "%14s %12s %14s %14s %14s %10s %12s %12s%n", "entries", "heap used",
                "growth/open", "expect ideal", "expect alloc", "B/entry", "VmRSS", "RssAnon");
        long lastHeap = heapOpen;
        try {
            InFlight window = new InFlight(log.inFlight);
            for (int c = 1; c <= checkpoints; c++) {
                long target = log.entries / log.batch * c / checkpoints * log.batch;
                long started = System.nanoTime();
                while (appended < target) {
                    int s = (int) (appendsDone++ % log.streams);
                    AppendOptions options = keyed ? AppendOptions.DEFAULT.withIdempotencyKey("key-" + appendsDone)
                            : AppendOptions.DEFAULT;
                    window.submit(node.append(names[s], events, options));
                    perStream[s] += log.batch;
                    appended += log.batch;
                }
                window.awaitAll();
                appendNanos += System.nanoTime() - started;
                lastHeap = usedHeapAfterGc();
                printRow(appended, lastHeap, heapOpen, perStream, names);
            }
            System.out.printf(Locale.ROOT, "append rate: %,.0f entries/s (%,d entries in %.2f s of appending; the"
                    + " GC pauses of the measurements are not counted)%n", appended / (appendNanos / 1e9), appended,
                    appendNanos / 1e9);
            if (node.lastOffset() != appended) {
                throw new IllegalStateException("node's last offset " + node.lastOffset() + " != " + appended);
            }
            if (histogram) {
                printHistogram();
            }
            node.close();
            node = null;
            long heapClosed = usedHeapAfterGc();
            System.out.printf(Locale.ROOT, "after close: heap used %s%n", mib(heapClosed));
            System.out.printf(Locale.ROOT, "data dir: %s apparent, %s allocated (du)%n",
                    mib(BenchSupport.apparentSize(dir)), duKib(dir) < 0 ? "?" : mib(duKib(dir) * 1024));
            if (!noReopen) {
                long t0 = System.nanoTime();
                node = EventLogNode.open(config());
                double replaySeconds = (System.nanoTime() - t0) / 1e9;
                long heapReopened = usedHeapAfterGc();
                System.out.printf(Locale.ROOT, "reopen (replay of %,d entries): %.2f s (%,.0f entries/s); heap used after"
                                + " GC %s, growth over the empty node %s (before close: %s)%n", node.lastOffset(),
                        replaySeconds, node.lastOffset() / replaySeconds, mib(heapReopened),
                        mib(heapReopened - heapOpen), mib(lastHeap - heapOpen));
                System.out.printf(Locale.ROOT, "after reopen: %s%n", rssLine());
            }
        } finally {
            if (node != null) {
                node.close();
            }
            if (temporary && !log.keep) {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    private NodeConfig config() {
        NodeConfig config = NodeConfig.defaults(dir).withDurability(durability);
        return idempotencyWindowMs == null ? config : config.withIdempotencyWindow(Duration.ofMillis(idempotencyWindowMs));
    }

    private void printRow(long appended, long heap, long heapOpen, long[] perStream, String[] names) {
        long[] expected = expectedIndexBytes(perStream, names);
        long growth = heap - heapOpen;
        long[] rss = rss();
        System.out.printf(Locale.ROOT, "%,14d %12s %14s %14s %14s %10.1f %12s %12s%n", appended, mib(heap), mib(growth),
                mib(expected[0]), mib(expected[1]), (double) growth / appended, mib(rss[0] * 1024),
                mib(rss[1] * 1024));
    }

    /**
     * {ideal, as allocated}: per stream a StreamIndex (24 B), a long[] (16 B header + 8 B per slot), a
     * ConcurrentHashMap node (32 B), the name (String 24 B + byte[] 16 B + length, 8-aligned), plus the
     * map's table (4 B per slot, a power of two at most 3/4 full). Compressed oops assumed (heap < 32 GiB).
     */
    static long[] expectedIndexBytes(long[] perStream, String[] names) {
        long ideal = 0;
        long allocated = 0;
        for (int s = 0; s < perStream.length; s++) {
            long fixed = 24 + 16 + 32 + 24 + align8(16 + names[s].length());
            ideal += fixed + 8 * perStream[s];
            allocated += fixed + 8 * capacity(perStream[s]);
        }
        long table = 4L * Math.max(16, Long.highestOneBit(Math.max(1, perStream.length * 4L / 3)) * 2);
        return new long[] {ideal + table, allocated + table};
    }

    /** Slots of StreamIndex's array after {@code n} appends: 4, doubled whenever full. */
    static long capacity(long n) {
        long cap = 4;
        while (cap < n) {
            cap *= 2;
        }
        return cap;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** {VmRSS, RssAnon, RssFile} in KiB from /proc/self/status; -1 where not available. */
    static long[] rss() {
        long[] out = {-1, -1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split("\\s+");
                switch (parts[0]) {
                    case "VmRSS:" -> out[0] = Long.parseLong(parts[1]);
                    case "RssAnon:" -> out[1] = Long.parseLong(parts[1]);
                    case "RssFile:" -> out[2] = Long.parseLong(parts[1]);
                    default -> {
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return out;
    }

    static String rssLine() {
        long[] r = rss();
        return "VmRSS " + mib(r[0] * 1024) + " (RssAnon " + mib(r[1] * 1024) + ", RssFile " + mib(r[2] * 1024) + ")";
    }

    private static long duKib(Path dir) {
        try {
            Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Long.parseLong(out.split("\\s+")[0]) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void printHistogram() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        p.waitFor();
        System.out.println("jcmd GC.class_histogram (top 20):");
        lines.stream().limit(23).forEach(System.out::println);
        lines.stream().filter(l -> l.startsWith("Total")).forEach(System.out::println);
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}

package io.eventlog.benchmarks.projection;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.benchmarks.storage.BenchSupport;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.projection.EntrySelection;
import io.eventlog.server.projection.JacksonStateCodec;
import io.eventlog.server.projection.Projection;
import io.eventlog.server.projection.ProjectionHandle;
import io.eventlog.server.projection.Projections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a projection costs: folding a log from its start, a restart from its checkpoint, and the wait of
 * read-your-writes after an append.
 *
 * <pre>
 * java @config/jvm.options -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     io.eventlog.benchmarks.projection.ProjectionBenchmark --entries 2000000
 * </pre>
 *
 * Builds a log through the embedded node (durability process): appends of {@code --batch} events (100)
 * of {@code --payload} bytes (100), round robin over {@code --streams} streams (1000), 16 in flight,
 * half of the streams named {@code account-*}. Then it starts a projection over the {@code account-}
 * prefix whose fold is as cheap as a fold can be (a count and a sum of data lengths), so the figures are
 * the library's. It reports the time of a bare subscription over the whole log (the reading, for
 * comparison; after a first pass that warms the JIT and the page cache), the time to fold the whole log from no checkpoint, closes it (a checkpoint),
 * starts it again on a reopened node and reports the time until it reflects the log's end, and finally
 * appends {@code --probes} single events (1000) one at a time and reports the wait of
 * {@code awaitOffset} after each acknowledgement. {@code --dir D} (default a temporary folder, deleted).
 */
@Command(name = "ProjectionBenchmark", mixinStandardHelpOptions = true)
public final class ProjectionBenchmark implements Runnable {
    /** The benchmark's state: entries folded and their data bytes. */
    public record Totals(long entries, long bytes) {
        static Totals fold(Totals totals, Entry entry) {
            return new Totals(totals.entries + 1, totals.bytes + entry.data().length);
        }
    }

    private static final Projection<Totals> TOTALS = Projection.of("totals", new Totals(0, 0), Totals::fold,
            JacksonStateCodec.of(Totals.class)).selecting(EntrySelection.streamPrefix("account-"));
    private static final Duration WAIT = Duration.ofMinutes(10);

    @Option(names = "--entries", defaultValue = "2000000", description = "Entries in the log.")
    private long entries;
    @Option(names = "--streams", defaultValue = "1000", description = "Streams, half of them account-*.")
    private int streams;
    @Option(names = "--batch", defaultValue = "100", description = "Events per append.")
    private int batch;
    @Option(names = "--payload", defaultValue = "100", description = "Bytes of JSON per event.")
    private int payload;
    @Option(names = "--probes", defaultValue = "1000", description = "Appends whose read-your-writes wait is measured.")
    private int probes;
    @Option(names = "--dir", description = "Data directory (default a temporary one, deleted at the end).")
    private Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProjectionBenchmark()).execute(args));
    }

    @Override
    public void run() {
        boolean temporary = dir == null;
        dir = temporary ? BenchSupport.tempDir("eventlog-projection", null) : dir;
        System.out.printf(Locale.ROOT, "ProjectionBenchmark: %,d entries of %d-byte events over %,d streams, %d per"
                        + " append; max heap %,d MiB, %d CPUs, data dir %s%n", entries, payload, streams, batch,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), dir);
        try {
            NodeConfig config = NodeConfig.defaults(dir)
                    .withCheckpoints(CheckpointConfig.defaults().withEveryEntries(Long.MAX_VALUE));
            try (EventLogNode node = EventLogNode.open(config)) {
                build(node);
                subscribeToTheWholeLog(node, "warm-up");
                subscribeToTheWholeLog(node, "measured");
                foldFromScratch(node);
            }
            try (EventLogNode node = EventLogNode.open(config)) {
                restartFromCheckpoint(node);
            }
        } finally {
            if (temporary) {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    private void build(EventLogNode node) {
        List<EventData> events = BenchSupport.events(batch, payload);
        BenchSupport.InFlight window = new BenchSupport.InFlight(16);
        long started = System.nanoTime();
        for (long append = 0; append < entries / batch; append++) {
            int stream = (int) (append % streams);
            window.submit(node.append((stream % 2 == 0 ? "account-" : "other-") + stream, events, AppendOptions.DEFAULT));
        }
        window.awaitAll();
        System.out.printf(Locale.ROOT, "log built in %.1f s, up to offset %,d%n", (System.nanoTime() - started) / 1e9,
                node.lastOffset());
    }

    /** The same entries through a bare subscription: what reading the log costs, before any projection. */
    private static void subscribeToTheWholeLog(EventLogNode node, String pass) {
        long started = System.nanoTime();
        long count = node.subscribe(SubscribeRequest.log(1)).take(node.lastOffset()).count().block(WAIT);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "a bare subscription to the whole log (%s): %.2f s for %,d entries: %,.0f"
                + " entries/s%n", pass, seconds, count, count / seconds);
    }

    private void foldFromScratch(EventLogNode node) {
        long started = System.nanoTime();
        try (ProjectionHandle<Totals> totals = Projections.start(node, TOTALS)) {
            totals.awaitOffset(node.lastOffset()).block(WAIT);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "fold from the start of the log: %.2f s for %,d entries gone past (%,d"
                            + " folded): %,.0f entries/s%n", seconds, node.lastOffset(), totals.foldedSinceStart(),
                    node.lastOffset() / seconds);
            long closing = System.nanoTime();
            totals.close();
            System.out.printf(Locale.ROOT, "close with its checkpoint: %.1f ms%n", (System.nanoTime() - closing) / 1e6);
        }
    }

    private void restartFromCheckpoint(EventLogNode node) {
        long started = System.nanoTime();
        try (ProjectionHandle<Totals> totals = Projections.start(node, TOTALS)) {
            totals.awaitOffset(node.lastOffset()).block(WAIT);
            System.out.printf(Locale.ROOT, "restart from its checkpoint at offset %,d to the log's end: %.1f ms"
                            + " (%,d entries folded)%n", totals.startedFrom().offset(),
                    (System.nanoTime() - started) / 1e6, totals.foldedSinceStart());
            readYourWrites(node, totals);
        }
    }

    private void readYourWrites(EventLogNode node, ProjectionHandle<Totals> totals) {
        EventData event = BenchSupport.events(1, payload).get(0);
        long[] waits = new long[probes];
        for (int i = 0; i < probes; i++) {
            AppendResult appended = node.append("account-probe", event).block(WAIT);
            long started = System.nanoTime();
            totals.awaitOffset(appended.offset()).block(WAIT);
            waits[i] = System.nanoTime() - started;
        }
        Arrays.sort(waits);
        System.out.printf(Locale.ROOT, "awaitOffset after an acknowledged append (%,d probes): median %.0f µs, p99"
                + " %.0f µs, max %.0f µs%n", probes, waits[probes / 2] / 1e3, waits[probes * 99 / 100] / 1e3,
                waits[probes - 1] / 1e3);
    }
}

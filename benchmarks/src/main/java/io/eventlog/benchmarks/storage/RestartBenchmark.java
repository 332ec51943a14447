package io.eventlog.benchmarks.storage;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Restart to ready with and without a checkpoint, and what taking a checkpoint costs the writer.
 *
 * <pre>
 * java @config/jvm.options -Xmx3g -cp benchmarks/target/benchmarks.jar \
 *     io.eventlog.benchmarks.storage.RestartBenchmark --entries 10000000
 * </pre>
 *
 * Builds a log through the embedded node (durability process): appends of {@code --batch} events (100)
 * of {@code --payload} bytes of JSON (100), round robin over {@code --streams} streams (1000), each
 * append with a unique Idempotency-Key, {@code --in-flight} appends in flight (16). Every
 * {@code --checkpoint-every} entries (1,000,000) it asks for a checkpoint without pausing the appends
 * and reports the writer's stall (the state copy on the writer thread) and the time to write the
 * checkpoint (sync the log, encode, fsync, rename) off the writer. Then it opens the node
 * {@code --runs} times (3) each way and prints the medians of open() until ready: from the newest
 * checkpoint (nothing to redo), from the one before it (redo of one checkpoint interval), and with no
 * checkpoint (a full replay). {@code --dir D} (a new or empty folder; default a temporary one, deleted
 * at the end unless {@code --keep}).
 */
@Command(name = "RestartBenchmark", mixinStandardHelpOptions = true,
        description = "Restart to ready with and without a checkpoint, and what taking a checkpoint costs the writer.")
public final class RestartBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    final LogOptions log = new LogOptions(10_000_000, 1000);

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000000",
            converter = UnderscoredNumber.ToLong.class,
            description = "Entries between checkpoints (underscores allowed). Default: ${DEFAULT-VALUE}.")
    long checkpointEvery;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Restarts each way. Default: ${DEFAULT-VALUE}.")
    int runs;

    /** The data directory in use: --dir, or a temporary one. */
    private Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RestartBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (log.entries % log.batch != 0 || checkpointEvery % log.batch != 0 || log.entries < 2 * checkpointEvery
                || runs < 1) {
            throw new ParameterException(spec.commandLine(), "--entries and --checkpoint-every must be multiples of"
                    + " --batch, --entries at least two checkpoints' worth, --runs at least 1");
        }
        run();
        return 0;
    }

    private void run() throws IOException {
        boolean temporary = log.dir == null;
        dir = temporary ? BenchSupport.tempDir("eventlog-restart", null) : Files.createDirectories(log.dir);
        System.out.printf(Locale.ROOT, "RestartBenchmark: %,d entries of %d-byte JSON events, %,d streams, %d events"
                        + " per keyed append, %d in flight, a checkpoint every %,d entries; max heap %,d MiB, %d CPUs,"
                        + " data dir %s%n", log.entries, log.payload, log.streams, log.batch, log.inFlight, checkpointEvery,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), dir);
        try {
            build();
            Path checkpoints = dir.resolve("checkpoints");
            List<Path> files = sortedFiles(checkpoints);
            Path newest = files.get(files.size() - 1);
            Path previous = files.get(files.size() - 2);
            report("from the newest checkpoint", restarts(checkpoints, List.of(newest)));
            report("from the checkpoint before (redo of " + String.format(Locale.ROOT, "%,d", checkpointEvery)
                    + " entries)", restarts(checkpoints, List.of(previous)));
            long[] full = restarts(checkpoints, List.of());
            report("with no checkpoint (full replay)", full);
            System.out.printf(Locale.ROOT, "full replay rate: %,.0f entries/s (median)%n",
                    log.entries / (median(full) / 1e9));
        } finally {
            if (temporary && !log.keep) {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    private NodeConfig config(SimpleMeterRegistry meters) {
        // Only the checkpoints this benchmark asks for (and the one on close).
        return NodeConfig.defaults(dir).withMeterRegistry(meters)
                .withCheckpoints(new CheckpointConfig(Long.MAX_VALUE, Duration.ofDays(1), 3));
    }

    private void build() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String[] names = new String[log.streams];
        for (int s = 0; s < log.streams; s++) {
            names[s] = "stream-" + s;
        }
        List<EventData> events = BenchSupport.events(log.batch, log.payload);
        long started = System.nanoTime();
        try (EventLogNode node = EventLogNode.open(config(meters))) {
            Timer stall = meters.get("eventlog.checkpoint.stall").timer();
            Timer write = meters.get("eventlog.checkpoint.write").timer();
            BenchSupport.InFlight window = new BenchSupport.InFlight(log.inFlight);
            CompletableFuture<Checkpoint> pending = null;
            double[] seen = {0, 0};
            for (long append = 0; append < log.entries / log.batch; append++) {
                window.submit(node.append(names[(int) (append % log.streams)], events,
                        AppendOptions.DEFAULT.withIdempotencyKey("key-" + append)));
                if ((append + 1) * log.batch % checkpointEvery == 0) {
                    if (pending != null) {
                        report(pending.join(), stall, write, seen);
                    }
                    pending = node.checkpoint().toFuture();
                }
            }
            window.awaitAll();
            report(pending.join(), stall, write, seen);
            System.out.printf(Locale.ROOT, "built in %.1f s; log %,d MiB%n", (System.nanoTime() - started) / 1e9,
                    BenchSupport.apparentSize(dir.resolve("log")) >> 20);
        }
    }

    /** Prints a checkpoint's figures: each timer's total grew by this checkpoint's time since {@code seen}. */
    private static void report(Checkpoint checkpoint, Timer stall, Timer write, double[] seen) {
        double stallNanos = stall.totalTime(TimeUnit.NANOSECONDS) - seen[0];
        double writeNanos = write.totalTime(TimeUnit.NANOSECONDS) - seen[1];
        seen[0] += stallNanos;
        seen[1] += writeNanos;
        System.out.printf(Locale.ROOT, "checkpoint at offset %,d: writer stalled %.1f ms; written in %,.0f ms"
                + " (%,d KiB)%n", checkpoint.offset(), stallNanos / 1e6, writeNanos / 1e6,
                checkpoint.file().toFile().length() >> 10);
    }

    /** Opens and closes the node {@code runs} times with only {@code use} in the checkpoint directory; nanos each. */
    private long[] restarts(Path checkpoints, List<Path> use) throws IOException {
        Path aside = Files.createDirectories(dir.resolve("checkpoints-aside"));
        for (Path file : sortedFiles(checkpoints)) {
            Files.move(file, aside.resolve(file.getFileName()));
        }
        long[] nanos = new long[runs];
        for (int run = 0; run < runs; run++) {
            for (Path file : use) {
                Files.copy(aside.resolve(file.getFileName()), file);
            }
            long started = System.nanoTime();
            EventLogNode node = EventLogNode.open(config(new SimpleMeterRegistry()));
            nanos[run] = System.nanoTime() - started;
            node.close();
            for (Path file : sortedFiles(checkpoints)) {
                Files.delete(file); // what it started from, and what the close wrote
            }
        }
        for (Path file : sortedFiles(aside)) {
            Files.move(file, checkpoints.resolve(file.getFileName()));
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        System.out.printf(Locale.ROOT, "restart to ready %s: median %,.0f ms of %s%n", what, median(nanos) / 1e6,
                Arrays.stream(nanos).mapToObj(n -> String.format(Locale.ROOT, "%,.0f", n / 1e6)).toList());
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<Path> sortedFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
        }
    }
}

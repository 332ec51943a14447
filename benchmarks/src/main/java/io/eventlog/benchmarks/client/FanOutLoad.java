package io.eventlog.benchmarks.client;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.benchmarks.load.EventBodies;
import io.eventlog.binary.BinaryConnection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;

/**
 * Fan-out: {@code --subscribers} live subscriptions of the global log, spread over the given nodes
 * (each on its own connection of the binary protocol), while one appender sends {@code --rate}
 * appends per second to the first node. Reports the appends acknowledged, the entries delivered
 * (total and per second), the slowest subscriber's share, and the append-to-delivery latency
 * (the entry's commit timestamp, set by the leader, to its arrival; same machine, same clock).
 * Exit code 0 when every subscriber kept up (received, by the end, every entry appended in the window).
 */
@Command(name = "fan-out-load", mixinStandardHelpOptions = true,
        description = "Many live subscribers on a steady append rate: do they all keep up, and how late are they?")
public final class FanOutLoad implements Callable<Integer> {
    private static final long MAX_LATENCY_MILLIS = 60_000;

    @Option(names = "--nodes", paramLabel = "HOST:PORT", split = ",", defaultValue = "127.0.0.1:7271",
            description = "Binary-protocol addresses; appends go to the first, subscribers round-robin. Default: ${DEFAULT-VALUE}.")
    List<String> nodes;

    @Option(names = "--subscribers", defaultValue = "100", description = "Live subscribers. Default: ${DEFAULT-VALUE}.")
    int subscribers;

    @Option(names = "--rate", defaultValue = "5000", description = "Appends per second. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--duration", defaultValue = "30", description = "Seconds measured. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Seconds before measuring. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--size", defaultValue = "100", description = "Bytes per event. Default: ${DEFAULT-VALUE}.")
    int size;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(System.out, true);
        List<BinaryConnection> connections = new ArrayList<>();
        List<Disposable> subscriptions = new ArrayList<>();
        Recorder latency = new Recorder(MAX_LATENCY_MILLIS, 3);
        LongAdder[] delivered = new LongAdder[subscribers];
        AtomicLong measureFromOffset = new AtomicLong(Long.MAX_VALUE);
        // Nothing is appended after the end marker, so only it lies past the window until its offset is known.
        AtomicLong measureUntilOffset = new AtomicLong(Long.MAX_VALUE);
        try {
            BinaryConnection appender = connect(nodes.get(0), connections);
            for (int i = 0; i < subscribers; i++) {
                LongAdder count = new LongAdder();
                delivered[i] = count;
                BinaryConnection connection = connect(nodes.get(i % nodes.size()), connections);
                subscriptions.add(connection.subscribe(SubscribeRequest.logFromEnd()).subscribe(entry -> {
                    if (entry.offset() >= measureFromOffset.get()) {
                        if (entry.offset() <= measureUntilOffset.get() && !entry.stream().equals("fan-out-marker")) {
                            count.increment();
                        }
                        latency.recordValue(Math.min(MAX_LATENCY_MILLIS,
                                Math.max(0, System.currentTimeMillis() - entry.timestamp())));
                    }
                }));
            }
            List<EventData> event = List.of(EventData.json("FanOut", EventBodies.event(size)));
            appendFor(appender, event, warmupSeconds);
            // Sync markers bracket the measured appends in the log: subscribers count what lies between them.
            long startMarker = appender.append("fan-out-marker", event, AppendOptions.DEFAULT).block().offset();
            latency.reset();
            measureFromOffset.set(startMarker + 1);
            long appended = appendFor(appender, event, seconds);
            long endMarker = appender.append("fan-out-marker", event, AppendOptions.DEFAULT).block().offset();
            measureUntilOffset.set(endMarker - 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long slowest;
            do {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                slowest = minimum(delivered);
            } while (slowest < appended && System.nanoTime() < deadline);
            Histogram histogram = latency.getIntervalHistogram();
            long total = 0;
            for (LongAdder count : delivered) {
                total += count.sum();
            }
            out.printf(Locale.ROOT, "fan-out: %d subscribers over %d node(s), %d appends/s of %d-byte events, %d s"
                    + " after %d s warm-up%n", subscribers, nodes.size(), rate, size, seconds, warmupSeconds);
            out.printf(Locale.ROOT, "appended %,d (%,.0f/s); delivered %,d entries (%,.0f/s across subscribers);"
                    + " slowest subscriber %,d of %,d%n", appended, appended / (double) seconds, total,
                    total / (double) seconds, slowest, appended);
            out.printf(Locale.ROOT, "append-to-delivery ms p50 %d  p99 %d  p99.9 %d  max %d%n",
                    histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                    histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
            return slowest >= appended ? 0 : 1;
        } finally {
            subscriptions.forEach(Disposable::dispose);
            connections.forEach(BinaryConnection::close);
        }
    }

    private static long minimum(LongAdder[] counts) {
        long min = Long.MAX_VALUE;
        for (LongAdder count : counts) {
            min = Math.min(min, count.sum());
        }
        return min;
    }

    /**
     * Appends at the rate for that long, paced every millisecond, then waits (up to 10 s) for the last
     * answers. Returns how many were acknowledged.
     */
    private long appendFor(BinaryConnection appender, List<EventData> event, int forSeconds) {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(forSeconds).toNanos();
        long sent = 0;
        LongAdder acknowledged = new LongAdder();
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                appender.append("fan-out-" + (sent % 100), event, AppendOptions.DEFAULT)
                        .subscribe(result -> acknowledged.increment());
            }
            LockSupport.parkNanos(1_000_000);
        }
        long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (acknowledged.sum() < sent && System.nanoTime() < settle) {
            LockSupport.parkNanos(1_000_000);
        }
        return acknowledged.sum();
    }

    private static BinaryConnection connect(String node, List<BinaryConnection> opened) {
        int colon = node.lastIndexOf(':');
        BinaryConnection connection = BinaryConnection.connect(node.substring(0, colon),
                Integer.parseInt(node.substring(colon + 1)), Duration.ofSeconds(10)).block();
        opened.add(connection);
        return connection;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FanOutLoad()).execute(args));
    }
}

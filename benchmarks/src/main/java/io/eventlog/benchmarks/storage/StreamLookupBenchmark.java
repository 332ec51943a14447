package io.eventlog.benchmarks.storage;

import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.benchmarks.storage.BenchSupport.InFlight;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a stream read {@code from_version=V, limit=10} at V near the start, in the middle and at
 * the end of a stream of {@code streamEntries} entries (default 1,000,000), whose entries are
 * interleaved one by one with entries of {@code otherStreams} other streams, so that no two
 * consecutive versions are neighbours in the log. With the per-stream index, the cost must not depend
 * on V. The score is the time of one whole read through the public API (tailer creation, positioning
 * for each entry, decoding, Reactor delivery), in microseconds per read; {@code readStreamFromVersionLimit1}
 * gives the fixed part of that cost.
 *
 * <p>Set-up (once per trial, not timed): appends the 2 x streamEntries single-event entries through
 * the embedded node, alternating target / other, with 512 appends in flight (the writer takes them
 * in submission order, so the interleaving is exact).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class StreamLookupBenchmark {
    static final String TARGET = "target";
    static final int LIMIT = 10;

    @Param("1000000")
    public int streamEntries;
    @Param("1000")
    public int otherStreams;
    /** Where V sits: start (V=0), middle (V=n/2), end (V=n-limit). */
    @Param({"start", "middle", "end"})
    public String position;

    Path dir;
    EventLogNode node;
    long fromVersion;

    @Setup(Level.Trial)
    public void fill() {
        dir = BenchSupport.tempDir("bench-lookup", null);
        node = EventLogNode.open(NodeConfig.defaults(dir));
        EventData event = BenchSupport.events(1, 100).get(0);
        InFlight inFlight = new InFlight(512);
        long started = System.nanoTime();
        for (int i = 0; i < streamEntries; i++) {
            inFlight.submit(node.append(TARGET, event));
            inFlight.submit(node.append("other-" + (i % otherStreams), event));
        }
        inFlight.awaitAll();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nset-up: %,d entries appended in %.1f s (%,.0f entries/s), last offset %d%n",
                2L * streamEntries, seconds, 2L * streamEntries / seconds, node.lastOffset());
        switch (position) {
            case "start" -> fromVersion = 0;
            case "middle" -> fromVersion = streamEntries / 2;
            case "end" -> fromVersion = streamEntries - LIMIT;
            default -> throw new IllegalArgumentException("position is start, middle or end: " + position);
        }
        List<Entry> check = read();
        if (check.size() != LIMIT || check.get(0).version() != fromVersion
                || check.get(LIMIT - 1).version() != fromVersion + LIMIT - 1
                || check.get(1).offset() - check.get(0).offset() != 2) {
            throw new IllegalStateException("unexpected read result " + check);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        node.close();
        BenchSupport.deleteRecursively(dir);
    }

    @Benchmark
    public List<Entry> readStreamFromVersion() {
        return read();
    }

    /** The same with limit 1: the read's fixed cost; (limit 10 - limit 1) / 9 is the cost per further entry. */
    @Benchmark
    public List<Entry> readStreamFromVersionLimit1() {
        return node.read(ReadRequest.stream(TARGET, fromVersion, 1)).collectList().block();
    }

    private List<Entry> read() {
        return node.read(ReadRequest.stream(TARGET, fromVersion, LIMIT)).collectList().block();
    }
}

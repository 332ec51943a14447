package io.eventlog.benchmarks.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counts what completes inside the measured window, which opens after the warm-up: successful requests
 * with their latency, failures by name. Thread-safe; a request counts where it completes, or not at all.
 */
public final class Measurement {
    /** Longest latency recorded exactly; longer ones are recorded as this. */
    private static final long MAX_LATENCY_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    private final long measureFrom;
    private final long measureUntil;
    private final LongAdder successes = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);

    private Measurement(long measureFrom, long measureUntil) {
        this.measureFrom = measureFrom;
        this.measureUntil = measureUntil;
    }

    /** A window that opens {@code warmup} from now and stays open for {@code duration}. */
    public static Measurement startingNow(Duration warmup, Duration duration) {
        long from = System.nanoTime() + warmup.toNanos();
        return new Measurement(from, from + duration.toNanos());
    }

    /** Whether the run should go on sending: the window has not closed yet. */
    public boolean running() {
        return System.nanoTime() < measureUntil;
    }

    /** A request sent at {@code sentNanos} ({@link System#nanoTime()}) succeeded just now. */
    public void succeeded(long sentNanos) {
        long now = System.nanoTime();
        if (measuring(now)) {
            successes.increment();
            latency.recordValue(Math.min((now - sentNanos) / 1000, MAX_LATENCY_MICROS));
        }
    }

    /** A request failed just now with an answer such as an HTTP status ("503"). */
    public void failed(String reason) {
        if (measuring(System.nanoTime())) {
            errors.computeIfAbsent(reason, key -> new LongAdder()).increment();
        }
    }

    /** A request failed just now with an exception: counted under "timeout" or the exception's name. */
    public void failed(Throwable failure) {
        failed(failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                ? "timeout" : failure.getClass().getSimpleName());
    }

    /** What was counted, each success standing for {@code eventsPerRequest} events. */
    public LoadResult result(RunConfig config, int eventsPerRequest) {
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((key, count) -> errorCounts.put(key, count.sum()));
        long requests = successes.sum();
        return new LoadResult(config, requests, requests * eventsPerRequest, errorCounts, latency.getIntervalHistogram());
    }

    private boolean measuring(long now) {
        return now >= measureFrom && now < measureUntil;
    }
}

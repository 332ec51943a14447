package io.eventlog.benchmarks.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured, counting only requests that completed inside the measured window.
 *
 * @param config   the run's configuration
 * @param requests successful requests: appends answered 201, or acknowledged publishes
 * @param events   events appended: requests times events per request
 * @param errors   failed requests by HTTP status ("503") or by failure ("ConnectException", "timeout")
 * @param latency  microseconds from sending a request to its complete answer, successful requests only
 */
public record LoadResult(RunConfig config, long requests, long events, Map<String, Long> errors, Histogram latency) {

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double requestsPerSecond() {
        return requests / RunConfig.seconds(config.duration());
    }

    public double eventsPerSecond() {
        return events / RunConfig.seconds(config.duration());
    }

    /** A latency percentile (0..100) in milliseconds. */
    public double latencyMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis() {
        return latency.getMaxValue() / 1000.0;
    }
}

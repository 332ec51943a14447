package io.eventlog.benchmarks.load;

import java.net.URI;
import java.time.Duration;

/**
 * What a load run does.
 *
 * @param url          the node's base URL
 * @param connections  concurrent connections, each running one closed loop
 * @param duration     how long to measure
 * @param warmup       how long to run before measuring (not counted)
 * @param size         bytes of JSON per event
 * @param streams      how many streams the requests go to, round robin
 * @param batch        events per request as an NDJSON batch; 0 for single events (application/json)
 * @param streamPrefix stream names are prefix-0, prefix-1, ...
 */
public record LoadConfig(URI url, int connections, Duration duration, Duration warmup, int size, int streams,
                         int batch, String streamPrefix) {

    public LoadConfig {
        require(connections >= 1, "--connections must be at least 1");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(size >= EventBodies.MIN_SIZE, "--size must be at least " + EventBodies.MIN_SIZE + " bytes");
        require(streams >= 1, "--streams must be at least 1");
        require(batch >= 0, "--batch must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Events each successful request appends. */
    public int eventsPerRequest() {
        return Math.max(batch, 1);
    }

    /** One line for the report, e.g. "64 connections, single events of 100 bytes, 1000 streams". */
    public String describe() {
        String what = batch == 0 ? "single events" : "NDJSON batches of " + batch + " events";
        return connections + " connections, " + what + " of " + size + " bytes, " + streams + " stream"
                + (streams == 1 ? "" : "s") + ", " + seconds(duration) + " s (after " + seconds(warmup) + " s warm-up), " + url;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}

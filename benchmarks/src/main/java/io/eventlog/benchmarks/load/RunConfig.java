package io.eventlog.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** What a measured run did, as its {@link LoadReport} shows it: eventlog's HTTP load or a peer's. */
public interface RunConfig {
    /** The measured time, which the rates are per. */
    Duration duration();

    /** One line for people, e.g. "64 connections, single events of 100 bytes, ...". */
    String describe();

    /** Writes the settings into the report's {@code config} object. */
    void writeJson(ObjectNode config);

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** Checks the options of {@link RunOptions}. */
    static void requireValid(Duration duration, Duration warmup, int size) {
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(size >= EventBodies.MIN_SIZE, "--size must be at least " + EventBodies.MIN_SIZE + " bytes");
    }

    /** Checks an option: throws {@link IllegalArgumentException} with {@code message} when {@code condition} fails. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

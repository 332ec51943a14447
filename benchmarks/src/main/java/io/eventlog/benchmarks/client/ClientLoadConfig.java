package io.eventlog.benchmarks.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlog.benchmarks.load.RunConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a run of the Java client's load does.
 *
 * @param nodes    the nodes' binary-protocol addresses (host:port); the client finds the leader
 * @param mode     async (a window of unacknowledged appends on one connection) or sync (one at a time)
 * @param inFlight async: most appends awaiting their answer at once
 * @param duration how long to measure
 * @param warmup   how long to append before measuring (not counted)
 * @param size     bytes per event (the HTTP load generator's events)
 * @param streams  appends spread round-robin over this many streams
 */
public record ClientLoadConfig(List<String> nodes, Mode mode, int inFlight, Duration duration, Duration warmup, int size,
                               int streams) implements RunConfig {

    /** How appends are sent. */
    public enum Mode { ASYNC, SYNC }

    public ClientLoadConfig {
        nodes = List.copyOf(nodes);
        RunConfig.require(!nodes.isEmpty() && nodes.stream().allMatch(node -> node.matches("[^:]+:\\d{1,5}")),
                "--nodes is HOST:PORT[,HOST:PORT...], got " + nodes);
        RunConfig.require(inFlight >= 1, "--in-flight must be at least 1");
        RunConfig.require(streams >= 1, "--streams must be at least 1");
        RunConfig.requireValid(duration, warmup, size);
    }

    @Override
    public String describe() {
        String how = mode == Mode.ASYNC ? "async appends, " + inFlight + " in flight on one connection"
                : "sync appends, one at a time";
        return how + ", " + size + "-byte events over " + streams + " streams, binary protocol, "
                + RunConfig.seconds(duration) + " s (after " + RunConfig.seconds(warmup) + " s warm-up), "
                + String.join(" ", nodes);
    }

    @Override
    public void writeJson(ObjectNode config) {
        nodes.forEach(config.putArray("nodes")::add);
        config.put("protocol", "binary");
        config.put("mode", mode.name().toLowerCase(Locale.ROOT));
        config.put("in_flight", mode == Mode.ASYNC ? inFlight : 1);
        config.put("duration_s", RunConfig.seconds(duration));
        config.put("warmup_s", RunConfig.seconds(warmup));
        config.put("size", size);
        config.put("streams", streams);
    }
}

package io.eventlog.benchmarks.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlog.benchmarks.load.RunConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * What a run of the Java client's load does.
 *
 * @param node     the binary-protocol address (host:port) appends go to
 * @param mode     async (a window of unacknowledged appends on one connection) or sync (one at a time)
 * @param inFlight async: most appends awaiting their answer at once
 * @param duration how long to measure
 * @param warmup   how long to append before measuring (not counted)
 * @param size     bytes per event (the HTTP load generator's events)
 * @param streams  appends spread round-robin over this many streams
 */
public record ClientLoadConfig(String node, Mode mode, int inFlight, Duration duration, Duration warmup, int size,
                               int streams) implements RunConfig {

    /** How appends are sent. */
    public enum Mode { ASYNC, SYNC }

    public ClientLoadConfig {
        RunConfig.require(node.matches("[^:]+:\\d{1,5}"), "--node is HOST:PORT, got '" + node + "'");
        RunConfig.require(inFlight >= 1, "--in-flight must be at least 1");
        RunConfig.require(streams >= 1, "--streams must be at least 1");
        RunConfig.requireValid(duration, warmup, size);
    }

    String host() {
        return node.substring(0, node.lastIndexOf(':'));
    }

    int port() {
        return Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
    }

    @Override
    public String describe() {
        String how = mode == Mode.ASYNC ? "async appends, " + inFlight + " in flight on one connection"
                : "sync appends, one at a time";
        return how + ", " + size + "-byte events over " + streams + " streams, binary protocol, "
                + RunConfig.seconds(duration) + " s (after " + RunConfig.seconds(warmup) + " s warm-up), " + node;
    }

    @Override
    public void writeJson(ObjectNode config) {
        config.put("node", node);
        config.put("protocol", "binary");
        config.put("mode", mode.name().toLowerCase(Locale.ROOT));
        config.put("in_flight", mode == Mode.ASYNC ? inFlight : 1);
        config.put("duration_s", RunConfig.seconds(duration));
        config.put("warmup_s", RunConfig.seconds(warmup));
        config.put("size", size);
        config.put("streams", streams);
    }
}

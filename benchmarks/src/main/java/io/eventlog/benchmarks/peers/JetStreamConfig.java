package io.eventlog.benchmarks.peers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlog.benchmarks.load.RunConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a JetStream publish run does.
 *
 * @param servers  the nats servers' URLs; once the stream exists, only its leader's
 * @param mode     async (a window of unacknowledged publishes) or sync (one at a time)
 * @param inFlight async: most publishes awaiting their ack at once
 * @param duration how long to measure
 * @param warmup   how long to publish before measuring (not counted)
 * @param size     bytes per message: an event of the eventlog load generator's shape and size
 * @param stream   the stream, recreated for the run: file storage, {@code replicas} replicas, one subject
 * @param replicas the stream's replicas
 */
public record JetStreamConfig(List<String> servers, Mode mode, int inFlight, Duration duration, Duration warmup,
                              int size, String stream, int replicas) implements RunConfig {

    /** How messages are published. */
    public enum Mode { ASYNC, SYNC }

    public JetStreamConfig {
        servers = List.copyOf(servers);
        RunConfig.require(!servers.isEmpty(), "--server must name at least one server");
        RunConfig.require(inFlight >= 1, "--in-flight must be at least 1");
        RunConfig.requireValid(duration, warmup, size);
        RunConfig.require(replicas >= 1, "--replicas must be at least 1");
    }

    /** The one subject the stream holds. */
    public String subject() {
        return stream + ".events";
    }

    /** The same run, publishing through {@code server} only. */
    public JetStreamConfig publishingTo(String server) {
        return new JetStreamConfig(List.of(server), mode, inFlight, duration, warmup, size, stream, replicas);
    }

    /** One line for the report, e.g. "async publish, 64 in flight, 100-byte messages, stream ...". */
    @Override
    public String describe() {
        String how = mode == Mode.ASYNC ? "async publish, " + inFlight + " in flight" : "sync publish, one at a time";
        return how + ", " + size + "-byte messages, stream " + stream + " (file, R" + replicas + "), "
                + RunConfig.seconds(duration) + " s (after " + RunConfig.seconds(warmup) + " s warm-up), "
                + String.join(" ", servers);
    }

    @Override
    public void writeJson(ObjectNode config) {
        ArrayNode serverArray = config.putArray("servers");
        servers.forEach(serverArray::add);
        config.put("mode", mode.name().toLowerCase(Locale.ROOT));
        config.put("in_flight", mode == Mode.ASYNC ? inFlight : 1);
        config.put("duration_s", RunConfig.seconds(duration));
        config.put("warmup_s", RunConfig.seconds(warmup));
        config.put("size", size);
        config.put("stream", stream);
        config.put("replicas", replicas);
    }
}

package io.eventlog.benchmarks.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a load run does.
 *
 * @param urls         the nodes' base URLs; connection i sends to {@code urls[i % urls.size()]}
 * @param connections  concurrent connections, each running one closed loop
 * @param duration     how long to measure
 * @param warmup       how long to run before measuring (not counted)
 * @param size         bytes of JSON per event
 * @param streams      how many streams the requests go to, round robin
 * @param batch        events per request as an NDJSON batch; 0 for single events (application/json)
 * @param streamPrefix stream names are prefix-0, prefix-1, ...
 */
public record LoadConfig(List<URI> urls, int connections, Duration duration, Duration warmup, int size, int streams,
                         int batch, String streamPrefix) implements RunConfig {

    public LoadConfig {
        urls = List.copyOf(urls);
        RunConfig.require(!urls.isEmpty(), "--url must name at least one node");
        RunConfig.require(connections >= 1, "--connections must be at least 1");
        RunConfig.requireValid(duration, warmup, size);
        RunConfig.require(streams >= 1, "--streams must be at least 1");
        RunConfig.require(batch >= 0, "--batch must not be negative");
    }

    /** The same run against other nodes. */
    public LoadConfig sendingTo(List<URI> targets) {
        return new LoadConfig(targets, connections, duration, warmup, size, streams, batch, streamPrefix);
    }

    /** Events each successful request appends. */
    public int eventsPerRequest() {
        return Math.max(batch, 1);
    }

    /** One line for the report, e.g. "64 connections, single events of 100 bytes, 1000 streams". */
    @Override
    public String describe() {
        String what = batch == 0 ? "single events" : "NDJSON batches of " + batch + " events";
        return connections + " connections, " + what + " of " + size + " bytes, " + streams + " stream"
                + (streams == 1 ? "" : "s") + ", " + RunConfig.seconds(duration) + " s (after "
                + RunConfig.seconds(warmup) + " s warm-up), " + urls.stream().map(URI::toString).collect(Collectors.joining(" "));
    }

    @Override
    public void writeJson(ObjectNode config) {
        ArrayNode urlArray = config.putArray("urls");
        urls.forEach(url -> urlArray.add(url.toString()));
        config.put("connections", connections);
        config.put("duration_s", RunConfig.seconds(duration));
        config.put("warmup_s", RunConfig.seconds(warmup));
        config.put("size", size);
        config.put("streams", streams);
        config.put("batch", batch);
    }
}

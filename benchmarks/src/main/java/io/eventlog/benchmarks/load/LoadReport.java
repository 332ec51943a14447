package io.eventlog.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Shows a {@link LoadResult}: as text for people, or as one JSON object for scripts. */
final class LoadReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadReport() {
    }

    static String text(LoadResult result) {
        StringBuilder text = new StringBuilder();
        text.append("eventlog load: ").append(result.config().describe()).append('\n');
        text.append(String.format(Locale.ROOT, "appends    %,12d requests  %,14.1f requests/s%n",
                result.requests(), result.requestsPerSecond()));
        text.append(String.format(Locale.ROOT, "events     %,12d           %,14.1f events/s%n",
                result.events(), result.eventsPerSecond()));
        text.append(String.format(Locale.ROOT, "errors     %,12d %s%n", result.errorCount(),
                result.errors().isEmpty() ? "" : result.errors()));
        text.append(String.format(Locale.ROOT, "latency ms p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f (per request)%n",
                result.latencyMillis(50), result.latencyMillis(99), result.latencyMillis(99.9), result.maxLatencyMillis()));
        return text.toString();
    }

    static String json(LoadResult result) {
        LoadConfig config = result.config();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode configNode = root.putObject("config");
        configNode.put("url", config.url().toString());
        configNode.put("connections", config.connections());
        configNode.put("duration_s", LoadConfig.seconds(config.duration()));
        configNode.put("warmup_s", LoadConfig.seconds(config.warmup()));
        configNode.put("size", config.size());
        configNode.put("streams", config.streams());
        configNode.put("batch", config.batch());
        root.put("requests", result.requests());
        root.put("events", result.events());
        root.put("requests_per_s", result.requestsPerSecond());
        root.put("events_per_s", result.eventsPerSecond());
        ObjectNode errors = root.putObject("errors");
        result.errors().forEach(errors::put);
        ObjectNode latency = root.putObject("latency_ms");
        latency.put("p50", result.latencyMillis(50));
        latency.put("p99", result.latencyMillis(99));
        latency.put("p999", result.latencyMillis(99.9));
        latency.put("max", result.maxLatencyMillis());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.eventlog.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Shows a {@link LoadResult}: as text for people, or as one JSON object for scripts. */
public final class LoadReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadReport() {
    }

    /** Prints the report as JSON (one line) or as text, and flushes. */
    public static void print(PrintWriter out, String title, LoadResult result, boolean asJson) {
        out.print(asJson ? json(result) + System.lineSeparator() : text(title, result));
        out.flush();
    }

    /** The text report; {@code title} starts its first line ("eventlog load"). */
    public static String text(String title, LoadResult result) {
        StringBuilder text = new StringBuilder();
        text.append(title).append(": ").append(result.config().describe()).append('\n');
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

    public static String json(LoadResult result) {
        ObjectNode root = JSON.createObjectNode();
        result.config().writeJson(root.putObject("config"));
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

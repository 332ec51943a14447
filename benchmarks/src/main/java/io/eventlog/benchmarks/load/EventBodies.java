package io.eventlog.benchmarks.load;

import java.nio.charset.StandardCharsets;

/** The append request bodies: events of an exact size, alone (JSON) or as NDJSON batches. */
public final class EventBodies {
    /** Smallest event: {@code {"load":""}} plus one padding character. */
    public static final int MIN_SIZE = 12;
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private EventBodies() {
    }

    /** One JSON object of exactly {@code size} bytes. */
    public static String event(int size) {
        return "{\"load\":\"" + "x".repeat(size - 11) + "\"}";
    }

    /** The body of one request: an event, or {@code batch} events one per line. */
    static byte[] body(int size, int batch) {
        String event = event(size);
        String text = batch == 0 ? event : (event + "\n").repeat(batch);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String contentType(int batch) {
        return batch == 0 ? JSON : NDJSON;
    }
}

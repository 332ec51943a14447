package io.eventlog.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One event to append: its JSON data, and optionally a type and headers.
 * The node checks that {@code data} is exactly one valid JSON value.
 *
 * @param type    the event type, or null
 * @param headers entry headers; names are stored lower-case
 * @param data    one JSON value as UTF-8 text
 */
public record EventData(String type, Map<String, String> headers, byte[] data) {

    public EventData {
        Objects.requireNonNull(data, "data");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** An event without type or headers whose data is the given JSON text. */
    public static EventData json(String json) {
        return new EventData(null, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** An event of a type whose data is the given JSON text. */
    public static EventData json(String type, String json) {
        return new EventData(type, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventData other && Objects.equals(type, other.type)
                && headers.equals(other.headers) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, headers) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EventData[type=" + type + ", headers=" + headers + ", data="
                + new String(data, StandardCharsets.UTF_8) + "]";
    }
}

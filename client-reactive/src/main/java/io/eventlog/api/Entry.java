package io.eventlog.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One committed entry, as readers receive it (API.md "The entry").
 *
 * @param offset    position in the global log: unique, strictly increasing, the same on every replica
 * @param stream    the stream it belongs to
 * @param version   its position within the stream: 0, 1, 2, ... dense
 * @param timestamp epoch milliseconds, assigned once by the node that ordered it
 * @param type      the event type, or null when none was given
 * @param headers   entry headers (names lower-case); empty when none were given
 * @param data      the appended JSON value, as UTF-8 JSON text
 */
public record Entry(long offset, String stream, long version, long timestamp, String type,
                    Map<String, String> headers, byte[] data) {

    public Entry {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(data, "data");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The data as JSON text. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry other
                && offset == other.offset && version == other.version && timestamp == other.timestamp
                && stream.equals(other.stream) && Objects.equals(type, other.type)
                && headers.equals(other.headers) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, stream, version, timestamp, type, headers) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Entry[offset=" + offset + ", stream=" + stream + ", version=" + version + ", timestamp=" + timestamp
                + ", type=" + type + ", headers=" + headers + ", data=" + dataAsString() + "]";
    }
}

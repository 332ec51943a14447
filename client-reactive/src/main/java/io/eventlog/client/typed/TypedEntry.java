package io.eventlog.client.typed;

import io.eventlog.api.Entry;
import java.util.Map;
import java.util.Objects;

/**
 * An entry with its data decoded to a Java value.
 *
 * @param entry the entry as stored (offset, stream, version, timestamp, type, headers, raw data)
 * @param value its data, decoded by Jackson
 */
public record TypedEntry<T>(Entry entry, T value) {

    public TypedEntry {
        Objects.requireNonNull(entry, "entry");
    }

    public long offset() {
        return entry.offset();
    }

    public String stream() {
        return entry.stream();
    }

    public long version() {
        return entry.version();
    }

    public long timestamp() {
        return entry.timestamp();
    }

    public String type() {
        return entry.type();
    }

    public Map<String, String> headers() {
        return entry.headers();
    }
}

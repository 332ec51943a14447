package io.eventlog.server.streams;

import java.util.concurrent.ConcurrentHashMap;

/** Every stream's {@link StreamIndex}. Written by the writer thread, read by any thread. */
public final class StreamRegistry {
    private final ConcurrentHashMap<String, StreamIndex> streams = new ConcurrentHashMap<>();

    /** The stream's index, or null when the stream has no entries. */
    public StreamIndex get(String stream) {
        return streams.get(stream);
    }

    /** The stream's last version, -1 when it does not exist. */
    public long lastVersion(String stream) {
        StreamIndex index = streams.get(stream);
        return index == null ? -1 : index.lastVersion();
    }

    /** The stream's index, made empty when the stream has no entries yet. */
    StreamIndex indexFor(String stream) {
        return streams.computeIfAbsent(stream, s -> new StreamIndex());
    }
}

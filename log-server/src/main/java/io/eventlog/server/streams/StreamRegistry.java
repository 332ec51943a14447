package io.eventlog.server.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Every stream as it is now, for a checkpoint; called by the writer thread. */
    List<StreamSnapshot> snapshot() {
        List<StreamSnapshot> snapshot = new ArrayList<>(streams.size());
        for (Map.Entry<String, StreamIndex> stream : streams.entrySet()) {
            snapshot.add(stream.getValue().snapshot(stream.getKey()));
        }
        return snapshot;
    }

    /** Takes {@code other}'s streams, dropping every stream it does not have. */
    void replaceWith(StreamRegistry other) {
        streams.putAll(other.streams);
        streams.keySet().retainAll(other.streams.keySet());
    }

    /** The stream's index, made empty when the stream has no entries yet. */
    StreamIndex indexFor(String stream) {
        return streams.computeIfAbsent(stream, s -> new StreamIndex());
    }
}

package io.eventlog.server.raftlog;

import io.eventlog.replication.Entry;
import java.util.List;
import java.util.TreeMap;

/** The live CONFIG entries after the snapshot, which the core reads at start-up; few, so kept whole. */
final class ConfigEntries {
    private final TreeMap<Long, Entry> byIndex = new TreeMap<>();

    void add(Entry config) {
        byIndex.put(config.index(), config);
    }

    void truncateFrom(long index) {
        byIndex.tailMap(index, true).clear();
    }

    void dropThrough(long index) {
        byIndex.headMap(index, true).clear();
    }

    void clear() {
        byIndex.clear();
    }

    List<Entry> list() {
        return List.copyOf(byIndex.values());
    }
}

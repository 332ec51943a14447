package io.eventlog.replication;

import java.util.Map;
import java.util.TreeMap;

/**
 * The membership in force: the latest CONFIG entry in the log, committed or not (thesis §4.1),
 * else the snapshot's. Remembers every CONFIG entry after the snapshot so that truncating the log
 * restores the configuration that preceded the superseded entries.
 */
final class ConfigHistory {

    private long baseIndex;
    private ClusterConfig base;
    private final TreeMap<Long, ClusterConfig> entries = new TreeMap<>();
    /** The current configuration's voters, sorted, cached: commit and vote counting read them constantly. */
    private long[] voters;

    ConfigHistory(SnapshotMeta snapshot) {
        reset(snapshot);
    }

    void reset(SnapshotMeta snapshot) {
        baseIndex = snapshot.index();
        base = snapshot.config();
        entries.clear();
        changed();
    }

    void append(Entry e) {
        if (e.kind() == EntryKind.CONFIG) {
            entries.put(e.index(), ClusterConfig.decode(e.payload()));
            changed();
        }
    }

    /** Forgets CONFIG entries at or after {@code index}. */
    void truncateFrom(long index) {
        if (!entries.isEmpty() && entries.lastKey() >= index) {
            entries.tailMap(index, true).clear();
            changed();
        }
    }

    private void changed() {
        voters = current().voterIds();
    }

    /** Voters of the current configuration in ascending order (do not modify). */
    long[] voters() {
        return voters;
    }

    ClusterConfig current() {
        return entries.isEmpty() ? base : entries.lastEntry().getValue();
    }

    /** Index of the latest CONFIG entry, or the snapshot index. */
    long currentIndex() {
        return entries.isEmpty() ? baseIndex : entries.lastKey();
    }

    /** The configuration in force at {@code index}. */
    ClusterConfig at(long index) {
        Map.Entry<Long, ClusterConfig> e = entries.floorEntry(index);
        return e != null ? e.getValue() : base;
    }
}

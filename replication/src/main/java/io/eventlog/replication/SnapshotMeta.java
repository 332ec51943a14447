package io.eventlog.replication;

import java.util.Objects;

/**
 * Describes a snapshot: it contains the effect of every entry up to {@code index} (whose term is
 * {@code term}), and the membership in force at that index. A fresh log has the snapshot
 * {@code (0, 0, initialConfig)}: that is how a new cluster is bootstrapped.
 */
public record SnapshotMeta(long index, long term, ClusterConfig config) {

    public SnapshotMeta {
        Objects.requireNonNull(config, "config");
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("negative index or term");
        }
    }

    /** The starting point of a node that bootstraps a new cluster with the given members. */
    public static SnapshotMeta bootstrap(ClusterConfig config) {
        return new SnapshotMeta(0, 0, config);
    }
}

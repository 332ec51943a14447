package io.eventlog.replication;

import java.util.Objects;

/** A snapshot received from the leader, for the driver to persist and to restore the state machine from. */
public record Snapshot(SnapshotMeta meta, byte[] data) {

    public Snapshot {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "Snapshot[" + meta + ", " + data.length + "B]";
    }
}

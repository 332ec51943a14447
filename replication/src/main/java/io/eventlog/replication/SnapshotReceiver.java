package io.eventlog.replication;

import java.io.ByteArrayOutputStream;

/** Collects the chunks of one snapshot on a follower, in order. */
final class SnapshotReceiver {

    final SnapshotMeta meta;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SnapshotReceiver(SnapshotMeta meta) {
        this.meta = meta;
    }

    long size() {
        return data.size();
    }

    void add(byte[] chunk) {
        data.write(chunk, 0, chunk.length);
    }

    byte[] data() {
        return data.toByteArray();
    }
}

package io.eventlog.server.raftlog;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Snapshot;
import io.eventlog.replication.SnapshotMeta;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * {@code raft/snapshot}: the latest snapshot's meta and data. Content, little-endian, in an
 * {@link AtomicFile} of format 1: {@code index:i64 term:i64 configLength:i32 config dataLength:i32 data},
 * where config is {@link ClusterConfig#encode()}.
 */
final class SnapshotFile {
    private static final byte FORMAT = 1;
    private static final int FIXED_LENGTH = 8 + 8 + 4 + 4;

    private final AtomicFile file;

    SnapshotFile(Path path) {
        this.file = new AtomicFile(path, FORMAT);
    }

    /** The snapshot last written, or null when none was. */
    Snapshot read() {
        return file.read(in -> {
            long index = in.getLong();
            long term = in.getLong();
            ClusterConfig config = ClusterConfig.decode(lengthPrefixed(in));
            return new Snapshot(new SnapshotMeta(index, term, config), lengthPrefixed(in));
        });
    }

    void write(SnapshotMeta meta, byte[] data) {
        byte[] config = meta.config().encode();
        file.write(ByteBuffer.allocate(FIXED_LENGTH + config.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(meta.index()).putLong(meta.term())
                .putInt(config.length).put(config)
                .putInt(data.length).put(data)
                .array());
    }

    /** Reads {@code length:i32 bytes}; the checksum already vouched for the length. */
    private static byte[] lengthPrefixed(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }
}

package io.eventlog.server.raftlog;

import io.eventlog.replication.HardState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * {@code raft/hardstate}: the node's term and vote, and a commit hint (an index known committed, which
 * may lag). Content, little-endian, in an {@link AtomicFile} of format 1: {@code term:i64 vote:i64 commitHint:i64}.
 */
final class HardStateFile {
    private static final byte FORMAT = 1;
    private static final int LENGTH = 8 + 8 + 8;

    /** What the file holds. */
    record Contents(HardState state, long commitHint) {
        static final Contents EMPTY = new Contents(HardState.EMPTY, 0);
    }

    private final AtomicFile file;

    HardStateFile(Path path) {
        this.file = new AtomicFile(path, FORMAT);
    }

    /** The contents last written, or {@link Contents#EMPTY} for a node that never wrote any. */
    Contents read() {
        Contents contents = file.read(in -> {
            return new Contents(new HardState(in.getLong(), in.getLong()), in.getLong());
        });
        return contents == null ? Contents.EMPTY : contents;
    }

    void write(Contents contents) {
        file.write(ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(contents.state().term()).putLong(contents.state().vote()).putLong(contents.commitHint())
                .array());
    }
}

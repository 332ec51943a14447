package io.eventlog.server.replicated;

import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.checkpoint.CheckpointCodec;
import io.eventlog.server.checkpoint.CheckpointData;
import io.eventlog.server.checkpoint.LogAnchor;
import io.eventlog.server.checkpoint.RaftMeta;
import io.eventlog.server.checkpoint.RestoredCheckpoint;
import io.eventlog.server.checkpoint.UnusableCheckpointException;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import io.eventlog.server.streams.StateSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;

/**
 * A cluster member's checkpoint as the data of its Raft snapshot: a checkpoint file
 * ({@link CheckpointCodec}) whose Raft part holds the snapshot's index and term and, as membership,
 * the peer address book. The state part is the same on every replica; the anchor and the offset
 * runs are the node's own, so a snapshot received from the leader is {@link #localize localized}
 * before it is kept: no runs, and an anchor that holds nothing.
 */
final class SnapshotImage {

    /**
     * A checkpoint read back: the Raft index and term it covers, the state machine, where this node holds
     * its entries, and the address book.
     */
    record Restored(long index, long term, EventStateMachine state, OffsetIndex offsets, LogAnchor anchor,
                    Map<Long, InetSocketAddress> addresses) {
    }

    private SnapshotImage() {
    }

    static byte[] encode(SnapshotMeta meta, LogAnchor anchor, StateSnapshot state, List<OffsetIndex.Run> runs,
                         long firstHeldOffset, Map<Long, InetSocketAddress> addresses) {
        RaftMeta raft = new RaftMeta(meta.index(), meta.term(), MemberAddresses.encodeBook(addresses));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CheckpointCodec.write(new CheckpointData(anchor, raft, state, runs, firstHeldOffset),
                    Channels.newChannel(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Where this node's queue holds the snapshot's last event (the Raft log may be read from there), or -1. */
    static long lastHeldQueueIndex(byte[] data) {
        LogAnchor anchor = CheckpointCodec.anchorOf(data);
        return anchor == null || !anchor.isHeld() ? -1 : anchor.queueIndex();
    }

    /** Reads a snapshot's data; it must be of the snapshot {@code meta} describes. */
    static Restored decode(byte[] data, SnapshotMeta meta, IdempotencyLimits idempotencyLimits) {
        Restored restored;
        try {
            restored = decode(data, idempotencyLimits);
        } catch (UnusableCheckpointException e) {
            throw new IllegalStateException("the snapshot at index " + meta.index() + " is unusable: " + e.getMessage(), e);
        }
        if (restored.index() != meta.index() || restored.term() != meta.term()) {
            throw new IllegalStateException("the snapshot at index " + meta.index() + ", term " + meta.term()
                    + " holds the state at index " + restored.index() + ", term " + restored.term());
        }
        return restored;
    }

    /** Reads a checkpoint, refusing one that is damaged. */
    static Restored decode(byte[] data, IdempotencyLimits idempotencyLimits) throws UnusableCheckpointException {
        RestoredCheckpoint restored = CheckpointCodec.read(data, idempotencyLimits);
        RaftMeta raft = restored.raft();
        Map<Long, InetSocketAddress> addresses;
        try {
            addresses = MemberAddresses.decodeBook(raft.membership());
        } catch (IllegalStateException e) {
            throw new UnusableCheckpointException(UnusableCheckpointException.Reason.CORRUPT, e.getMessage());
        }
        return new Restored(raft.appliedIndex(), raft.appliedTerm(), restored.state(), restored.offsets(),
                restored.anchor(), addresses);
    }

    /**
     * The snapshot as this node keeps it after receiving it from the leader: the same state, no log
     * held up to its index (offsets below {@code meta.index() + 1} are expired here).
     */
    static byte[] localize(Restored received, SnapshotMeta meta) {
        StateSnapshot state = received.state().snapshot();
        return encode(meta, LogAnchor.notHeld(state.lastOffset()), state, List.of(), meta.index() + 1,
                received.addresses());
    }
}

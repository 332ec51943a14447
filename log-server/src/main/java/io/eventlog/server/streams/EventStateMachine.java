package io.eventlog.server.streams;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;

/**
 * The node's state derived from the log: each stream's versions and where they are stored, the
 * idempotency window and the last applied offset. It is the same whether built by the writer as it
 * appends or by replaying the log at start-up, which is what makes a restart lose nothing.
 *
 * <p>Mutated by one thread (the writer, or recovery before the writer starts). Stream lookups are
 * safe from any thread through {@link #streams()}.
 */
public final class EventStateMachine {
    /** No append to the stream is pending: its last version is the applied one. */
    public static final long NO_PENDING_VERSION = Long.MIN_VALUE;

    private final StreamRegistry streams = new StreamRegistry();
    private final IdempotencyWindow idempotency;
    private long lastOffset = -1;

    public EventStateMachine(IdempotencyLimits idempotencyLimits) {
        this.idempotency = new IdempotencyWindow(idempotencyLimits);
    }

    /** Checks an append against the state: Idempotency-Key first, then Expected-Version. */
    public AppendDecision decide(String stream, AppendOptions options, long now) {
        return decide(stream, options, now, NO_PENDING_VERSION);
    }

    /**
     * Like {@link #decide(String, AppendOptions, long)}, for a leader that has proposed appends to the
     * stream not applied yet: {@code pendingLastVersion} is the stream's last version counting them
     * ({@link #NO_PENDING_VERSION} when none is pending).
     */
    public AppendDecision decide(String stream, AppendOptions options, long now, long pendingLastVersion) {
        if (options.idempotencyKey() != null) {
            AppendResult original = idempotency.find(stream, options.idempotencyKey(), now);
            if (original != null) {
                return new AppendDecision.Duplicate(original);
            }
        }
        long actual = pendingLastVersion == NO_PENDING_VERSION ? streams.lastVersion(stream) : pendingLastVersion;
        if (!options.expectedVersion().matches(actual)) {
            return new AppendDecision.Conflict(options.expectedVersion().value(), actual);
        }
        return new AppendDecision.Accept(actual + 1);
    }

    /** Applies one record read back from the log (replay). */
    public void apply(StoredRecord record) {
        if (record.kind() != RecordKind.EVENT) {
            return;
        }
        applyEntries(record.stream(), record.offset(), record.version(), 1);
        if (record.idempotencyKey() != null) {
            remember(record.stream(), record.idempotencyKey(), record.offset(), record.version(), record.batchCount(),
                    record.timestamp());
        }
    }

    /**
     * Applies a whole append the writer has just written: {@code count} entries at consecutive
     * offsets and versions, and its Idempotency-Key (null for none).
     */
    public void applyAppend(String stream, long firstOffset, long firstVersion, int count, long timestamp,
                            String idempotencyKey) {
        applyEntries(stream, firstOffset, firstVersion, count);
        if (idempotencyKey != null) {
            remember(stream, idempotencyKey, firstOffset + count - 1, firstVersion + count - 1, count, timestamp);
        }
    }

    private void applyEntries(String stream, long firstOffset, long firstVersion, int count) {
        if (firstOffset <= lastOffset) {
            throw new IllegalStateException("offset " + firstOffset + " applied after " + lastOffset);
        }
        StreamIndex index = streams.indexFor(stream);
        if (firstVersion != index.size()) {
            throw new IllegalStateException("stream " + stream + " version " + firstVersion + " applied where "
                    + index.size() + " was next");
        }
        index.appendRange(firstOffset, count);
        lastOffset = firstOffset + count - 1;
    }

    private void remember(String stream, String key, long lastOffset, long lastVersion, int count, long timestamp) {
        AppendResult result = new AppendResult(stream, lastOffset, lastVersion, lastOffset - (count - 1),
                lastVersion - (count - 1), count);
        idempotency.remember(stream, key, result, timestamp);
    }

    /**
     * The state as it is now, for a checkpoint. Called by the thread that mutates the state, between
     * appends; the copy is cheap (chunk directories and the idempotency window's entries), so the
     * writer stalls little, and the snapshot may then be read on any thread.
     */
    public StateSnapshot snapshot() {
        return new StateSnapshot(lastOffset, streams.snapshot(), idempotency.snapshot());
    }

    /**
     * Rebuilds part of a stream from a checkpoint: its next {@code count} versions are stored at
     * {@code offsets}, which must increase. A stream may come in several parts, in version order.
     */
    public void restoreVersions(String stream, long[] offsets, int count) {
        StreamIndex index = streams.indexFor(stream);
        long previous = index.size() == 0 ? 0 : index.offsetOf(index.size() - 1);
        for (int i = 0; i < count; i++) {
            if (offsets[i] <= previous) {
                throw new IllegalStateException("stream " + stream + " version " + (index.size() + i) + " at offset "
                        + offsets[i] + ", not after " + previous);
            }
            previous = offsets[i];
        }
        index.appendAll(offsets, count);
    }

    /** Puts back an append the idempotency window remembered; in the order of {@link StateSnapshot#remembered()}. */
    public void restoreRemembered(RememberedAppend remembered) {
        idempotency.restore(remembered);
    }

    /** Sets the last applied offset once a checkpoint's streams are restored. */
    public void restoreLastOffset(long offset) {
        lastOffset = offset;
    }

    /**
     * Takes {@code other}'s whole state (a Raft snapshot received from the leader replaces what this
     * node had). Called by the thread that mutates the state; readers may briefly miss a stream.
     */
    public void replaceWith(EventStateMachine other) {
        streams.replaceWith(other.streams);
        idempotency.replaceWith(other.idempotency);
        lastOffset = other.lastOffset;
    }

    public StreamRegistry streams() {
        return streams;
    }

    /** Idempotency-Keys remembered now; read from any thread (a metric), possibly a little stale. */
    public int idempotencyKeys() {
        return idempotency.size();
    }

    /** Idempotency-Keys forgotten before their window ended because of the bound on keys, since start. */
    public long idempotencyKeysDroppedByBound() {
        return idempotency.droppedByBound();
    }

    public long lastOffset() {
        return lastOffset;
    }
}

package io.eventlog.server.replicated;

import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.server.storage.CorruptRecordException;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.EventStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed Raft entries, in index order, to what readers see: the event state machine
 * (stream versions, idempotency keys) and the offset index. Every replica applies the same entries
 * the same way, so every replica serves the same entry at the same offset.
 *
 * <p>An append of several events is several consecutive entries of one term; the last carries the
 * append's size. Its entries are held back until that last one is applied, then applied together. A
 * leader that loses its term can leave an append cut short in the log, and Raft may commit that
 * prefix: the next entry then has another term (or is a no-op), and the prefix is dropped, never
 * applied nor served, on every replica alike. So an append is all or nothing, and
 * {@link #readableIndex()} only ever ends on a whole append.
 */
final class CommittedApplier {
    private static final Logger LOG = LoggerFactory.getLogger(CommittedApplier.class);

    private final EventStateMachine state;
    private final OffsetIndex offsets;
    private final LongUnaryOperator queueIndexOf;
    private final Consumer<StoredRecord> systemRecords;
    private final List<StoredRecord> unfinishedAppend = new ArrayList<>();
    private long appliedIndex;
    private long readableIndex;

    /**
     * @param queueIndexOf  where the Raft log stores a (committed, hence stored) entry
     * @param systemRecords gets the entries of reserved ({@code $}) streams, which are never served
     * @param appliedIndex  the index applied so far (0 for none)
     */
    CommittedApplier(EventStateMachine state, OffsetIndex offsets, LongUnaryOperator queueIndexOf,
                     Consumer<StoredRecord> systemRecords, long appliedIndex) {
        this.state = state;
        this.offsets = offsets;
        this.queueIndexOf = queueIndexOf;
        this.systemRecords = systemRecords;
        this.appliedIndex = appliedIndex;
        this.readableIndex = appliedIndex;
    }

    void apply(Entry entry) {
        if (entry.index() != appliedIndex + 1) {
            throw new IllegalStateException("entry " + entry.index() + " applied after " + appliedIndex);
        }
        appliedIndex = entry.index();
        if (!unfinishedAppend.isEmpty()
                && (entry.kind() != EntryKind.NORMAL || entry.term() != unfinishedAppend.get(0).term())) {
            LOG.info("entries {}..{} of term {} are an append its leader did not finish: dropped",
                    unfinishedAppend.get(0).offset(), entry.index() - 1, unfinishedAppend.get(0).term());
            unfinishedAppend.clear();
        }
        if (entry.kind() != EntryKind.NORMAL) {
            readableIndex = entry.index();
            return;
        }
        StoredRecord record = decode(entry);
        if (MemberAddresses.isSystemRecord(record)) {
            systemRecords.accept(record);
            readableIndex = entry.index();
            return;
        }
        unfinishedAppend.add(record);
        if (record.batchCount() > 0) {
            finishAppend(record);
        }
    }

    private static StoredRecord decode(Entry entry) {
        try {
            return RecordCodec.decodeEventPayload(entry.term(), entry.index(), entry.payload());
        } catch (CorruptRecordException e) {
            // Every replica holds the same bytes: applying around it would still agree, but would hide a bug.
            throw new IllegalStateException("committed entry " + entry.index() + " is not an event: " + e.getMessage(), e);
        }
    }

    private void finishAppend(StoredRecord last) {
        if (last.batchCount() != unfinishedAppend.size()) {
            // Cannot happen with one leader per term writing whole appends; refuse to guess.
            throw new IllegalStateException("entry " + last.offset() + " ends an append of " + last.batchCount()
                    + " events after " + unfinishedAppend.size() + " of them");
        }
        for (StoredRecord record : unfinishedAppend) {
            offsets.add(record.offset(), queueIndexOf.applyAsLong(record.offset()));
            state.apply(record);
        }
        unfinishedAppend.clear();
        readableIndex = last.offset();
    }

    /** Starts over after a snapshot at {@code index} replaced the state: the next entry is {@code index + 1}. */
    void restartAt(long index) {
        unfinishedAppend.clear();
        appliedIndex = index;
        readableIndex = index;
    }

    /** The last index handed to {@link #apply}. */
    long appliedIndex() {
        return appliedIndex;
    }

    /**
     * The last index readers may see: every applied entry up to it is either served or never will be,
     * and no append is seen in part. Entries after it are held back with their unfinished append.
     */
    long readableIndex() {
        return readableIndex;
    }
}

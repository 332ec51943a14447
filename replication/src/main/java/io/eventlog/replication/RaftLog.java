package io.eventlog.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: the durable part in {@link RaftStorage}, followed by entries that
 * the driver has not yet reported durable ("unstable", held in memory), plus a snapshot received
 * from the leader and not yet durable. Also tracks the commit index and how far committed entries
 * have been handed out for applying.
 */
final class RaftLog {

    /** Returned by {@link #term} for an index that is compacted away or past the end. */
    static final long UNKNOWN = -1;

    private final RaftStorage storage;
    private final ArrayList<Entry> unstable = new ArrayList<>();
    /** Index of unstable.get(0); the durable log ends at unstableOffset - 1 (unless a snapshot is pending). */
    private long unstableOffset;
    /** Last index handed to the driver to persist. */
    private long handedOut;
    /** A snapshot from the leader, not yet reported durable. */
    private SnapshotMeta pendingSnapshot;
    private long committed;
    /** Last index handed to the driver to apply. */
    private long applied;

    RaftLog(RaftStorage storage, long applied) {
        this.storage = storage;
        this.unstableOffset = storage.lastIndex() + 1;
        this.handedOut = storage.lastIndex();
        long start = Math.max(applied, storage.snapshotMeta().index());
        if (start > storage.lastIndex()) {
            throw new IllegalArgumentException("applied " + applied + " is past the last index " + storage.lastIndex());
        }
        this.committed = start;
        this.applied = start;
    }

    long firstIndex() {
        return pendingSnapshot != null ? pendingSnapshot.index() + 1 : storage.firstIndex();
    }

    long lastIndex() {
        return unstableOffset + unstable.size() - 1;
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** The last index that is durable on this node (0 while a received snapshot is not durable yet). */
    long durableIndex() {
        return pendingSnapshot != null ? 0 : unstableOffset - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    /** The term at {@code index}, or {@link #UNKNOWN} if compacted away or past the end. */
    long term(long index) {
        if (index >= unstableOffset) {
            long k = index - unstableOffset;
            return k < unstable.size() ? unstable.get((int) k).term() : UNKNOWN;
        }
        if (pendingSnapshot != null) {
            return index == pendingSnapshot.index() ? pendingSnapshot.term() : UNKNOWN;
        }
        SnapshotMeta snap = storage.snapshotMeta();
        if (index == snap.index()) {
            return snap.term();
        }
        if (index < snap.index()) {
            return UNKNOWN;
        }
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        long t = term(index);
        return t != UNKNOWN && t == term;
    }

    /** Raft §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long ourTerm = lastTerm();
        return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= lastIndex());
    }

    /**
     * Entries in {@code [from, to)} limited to about {@code maxBytes} (at least one), or null if
     * {@code from} is compacted away.
     */
    List<Entry> entries(long from, long to, long maxBytes) {
        if (from < firstIndex()) {
            return null;
        }
        if (from >= to) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        if (from < unstableOffset) {
            List<Entry> stored = storage.entries(from, Math.min(to, unstableOffset), maxBytes);
            out.addAll(stored);
            for (Entry e : stored) {
                bytes += e.sizeInBytes();
            }
            if (from + stored.size() < Math.min(to, unstableOffset)) {
                return out;
            }
        }
        long next = Math.max(from, unstableOffset);
        while (next < to) {
            Entry e = unstable.get((int) (next - unstableOffset));
            if (!out.isEmpty() && bytes + e.sizeInBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeInBytes();
            out.add(e);
            next++;
        }
        return out;
    }

    /** Appends entries that follow the last index (the leader's own proposals). */
    void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (entries.get(0).index() != lastIndex() + 1) {
            throw new IllegalStateException("append at " + entries.get(0).index() + " after " + lastIndex());
        }
        unstable.addAll(entries);
    }

    /**
     * Returns the index of the first entry that is not already in the log (a conflict or past the
     * end), or 0 if the log holds them all.
     */
    long findConflict(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /** Replaces everything from the first entry's index on with {@code entries}. */
    void truncateAndAppend(List<Entry> entries) {
        long first = entries.get(0).index();
        if (first <= committed) {
            throw new IllegalStateException("entry " + first + " conflicts with committed " + committed);
        }
        if (first == lastIndex() + 1) {
            unstable.addAll(entries);
        } else if (first >= unstableOffset) {
            unstable.subList((int) (first - unstableOffset), unstable.size()).clear();
            unstable.addAll(entries);
        } else {
            unstable.clear();
            unstable.addAll(entries);
            unstableOffset = first;
        }
        handedOut = Math.min(handedOut, first - 1);
    }

    /**
     * Hint for a rejected AppendRequest at prevIndex (§5.3 optimisation): the term we hold there and
     * the first index of that term, or (lastIndex + 1, 0) if our log is shorter.
     */
    long[] conflictHint(long prevIndex) {
        if (prevIndex > lastIndex()) {
            return new long[] {lastIndex() + 1, 0};
        }
        long t = term(prevIndex);
        long i = prevIndex;
        while (i - 1 > committed && term(i - 1) == t) {
            i--;
        }
        return new long[] {i, t};
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " past last index " + lastIndex());
            }
            committed = index;
        }
    }

    /** Entries not yet handed to the driver to persist (and marks them handed out). */
    List<Entry> takeUnpersisted() {
        long last = lastIndex();
        if (handedOut >= last) {
            return List.of();
        }
        int from = (int) (handedOut + 1 - unstableOffset);
        List<Entry> out = List.copyOf(unstable.subList(from, unstable.size()));
        handedOut = last;
        return out;
    }

    boolean hasUnpersisted() {
        return handedOut < lastIndex();
    }

    /** The driver made entries up to (index, term) durable. Returns false if that no longer matches our log. */
    boolean stableTo(long index, long term) {
        if (index < unstableOffset || index > lastIndex() || unstable.get((int) (index - unstableOffset)).term() != term) {
            return false;
        }
        unstable.subList(0, (int) (index - unstableOffset + 1)).clear();
        unstableOffset = index + 1;
        return true;
    }

    /** Replaces the whole log with a snapshot from the leader (not durable until {@link #snapshotPersisted}). */
    void restore(SnapshotMeta meta) {
        unstable.clear();
        unstableOffset = meta.index() + 1;
        handedOut = meta.index();
        pendingSnapshot = meta;
        committed = meta.index();
        applied = meta.index();
    }

    boolean hasPendingSnapshot() {
        return pendingSnapshot != null;
    }

    boolean snapshotPersisted(SnapshotMeta meta) {
        if (pendingSnapshot != null && pendingSnapshot.index() == meta.index() && pendingSnapshot.term() == meta.term()) {
            pendingSnapshot = null;
            return true;
        }
        return false;
    }

    boolean hasCommittedToApply() {
        return applied < Math.min(committed, durableIndex());
    }

    /** Committed, durable entries not yet handed out for applying (and marks them handed out). */
    List<Entry> takeCommitted(long maxBytes) {
        long to = Math.min(committed, durableIndex());
        if (applied >= to) {
            return List.of();
        }
        List<Entry> out = entries(applied + 1, to + 1, maxBytes);
        if (out == null) {
            throw new IllegalStateException("entry " + (applied + 1) + " to apply is compacted");
        }
        applied += out.size();
        return out;
    }
}

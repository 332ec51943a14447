package io.eventlog.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * The durable log of one node, as the core sees it. The core only reads (the "read side"); the
 * driver writes (the "write side"), then tells the core what became durable.
 *
 * <p>The log is the snapshot {@code (index s, term t)} followed by entries {@code s+1 .. lastIndex}.
 * An implementation need never cut its tail physically: {@link #supersedeFrom} may record a
 * truncation marker, as long as the read side afterwards answers for the live entries only.
 */
public interface RaftStorage {

    // ---- read side, used by the core ----

    /** The last durable term and vote; {@link HardState#EMPTY} on a new node. */
    HardState hardState();

    /** The latest snapshot; {@link SnapshotMeta#bootstrap} for a node that never had one. */
    SnapshotMeta snapshotMeta();

    /** The first index held as an entry: snapshot index + 1. */
    default long firstIndex() {
        return snapshotMeta().index() + 1;
    }

    /** The last live index; the snapshot index if no entry follows it. */
    long lastIndex();

    /** The term of entry {@code index}, for {@code firstIndex() <= index <= lastIndex()}. */
    long term(long index);

    /**
     * Live entries from {@code from} (inclusive) to {@code to} (exclusive), stopping before the entry
     * that would take the total {@link Entry#sizeInBytes()} past {@code maxBytes}, but always at least one.
     * Requires {@code firstIndex() <= from < to <= lastIndex() + 1}.
     */
    List<Entry> entries(long from, long to, long maxBytes);

    /** Size in bytes of the current snapshot's data. */
    long snapshotSize();

    /** Up to {@code maxBytes} of the current snapshot's data from {@code offset}. */
    byte[] snapshotChunk(long offset, int maxBytes);

    /**
     * The {@link EntryKind#CONFIG} entries after the snapshot, in index order, read once at start-up.
     * This default scans the whole log; an implementation with an index should override it.
     */
    default List<Entry> configEntries() {
        List<Entry> out = new ArrayList<>();
        long next = firstIndex();
        long last = lastIndex();
        while (next <= last) {
            List<Entry> batch = entries(next, last + 1, 1 << 20);
            for (Entry e : batch) {
                if (e.kind() == EntryKind.CONFIG) {
                    out.add(e);
                }
            }
            next += batch.size();
        }
        return out;
    }

    // ---- write side, used by the driver only ----

    /** Appends entries; the first must be {@code lastIndex() + 1}. */
    void append(List<Entry> entries);

    /** Discards (logically or physically) every entry with index {@code >= index}. */
    void supersedeFrom(long index);

    void saveHardState(HardState state);

    /** Replaces the whole log with a snapshot received from the leader: no entry survives. */
    void installSnapshot(SnapshotMeta meta, byte[] data);

    /**
     * Records a snapshot the application took at {@code meta.index()} (at most its applied index, see
     * {@link RaftNode#snapshotMeta}); entries up to that index may be dropped, later ones are kept.
     */
    void compact(SnapshotMeta meta, byte[] data);

    /** Writes what a {@link Ready} asks for, in the required order: snapshot, entries, hard state. */
    default void persist(Ready ready) {
        if (ready.snapshot() != null) {
            installSnapshot(ready.snapshot().meta(), ready.snapshot().data());
        }
        List<Entry> entries = ready.entries();
        if (!entries.isEmpty()) {
            long first = entries.get(0).index();
            if (first <= lastIndex()) {
                supersedeFrom(first);
            }
            append(entries);
        }
        if (ready.hardState() != null) {
            saveHardState(ready.hardState());
        }
    }
}

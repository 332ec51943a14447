package io.eventlog.server.streams;

import io.eventlog.api.AppendResult;
import java.util.AbstractList;
import java.util.List;

/**
 * The results of successful appends that carried an Idempotency-Key, per stream and key, kept for a
 * window of time measured on entry timestamps and at most a number of them, the newest
 * ({@link IdempotencyLimits}). Used by the writer thread only (the Raft thread on a cluster member).
 *
 * <p>Every append of the Java client carries a key, so this runs once per append on the thread
 * that bounds a node's throughput. It holds no object per append but the key itself: the
 * remembered appends sit oldest first in a ring of parallel arrays, found through an open-addressing
 * table of ring slots (linear probing, at most half full). A map of composite-key strings to result
 * objects cost four allocations and a string copy per append, and a stall on the thread whenever it
 * doubled.
 */
final class IdempotencyWindow {
    private static final int INITIAL_CAPACITY = 16;

    private final long windowMillis;
    private final int maxKeys;
    // The ring: slot (head + i) & mask holds the i-th oldest remembered append.
    private String[] streams = new String[INITIAL_CAPACITY];
    private String[] keys = new String[INITIAL_CAPACITY];
    private int[] hashes = new int[INITIAL_CAPACITY];
    private long[] timestamps = new long[INITIAL_CAPACITY];
    private long[] lastOffsets = new long[INITIAL_CAPACITY];
    private long[] lastVersions = new long[INITIAL_CAPACITY];
    private int[] counts = new int[INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Ring slot + 1 of each remembered append, at its hash's place or after it; 0 is free. */
    private int[] table = new int[2 * INITIAL_CAPACITY];
    /** Keys forgotten before their window ended, for the bound on keys; read by the metrics' thread. */
    private volatile long droppedByBound;

    IdempotencyWindow(IdempotencyLimits limits) {
        this.windowMillis = limits.window().toMillis();
        this.maxKeys = limits.maxKeys();
    }

    AppendResult find(String stream, String key, long now) {
        expire(now);
        int slot = slotOf(stream, key, hash(stream, key));
        return slot < 0 ? null : resultAt(slot);
    }

    /**
     * Expires what the new key's timestamp leaves behind first, so that replaying a long log holds
     * only the window's worth of keys, as the running node does.
     */
    void remember(String stream, String key, AppendResult result, long timestamp) {
        expire(timestamp);
        put(stream, key, result, timestamp);
    }

    /** Takes {@code other}'s remembered appends, dropping its own. */
    void replaceWith(IdempotencyWindow other) {
        streams = other.streams.clone();
        keys = other.keys.clone();
        hashes = other.hashes.clone();
        timestamps = other.timestamps.clone();
        lastOffsets = other.lastOffsets.clone();
        lastVersions = other.lastVersions.clone();
        counts = other.counts.clone();
        head = other.head;
        size = other.size;
        table = other.table.clone();
    }

    /**
     * Puts back an append a checkpoint remembered, after those put back before it; nothing expires here,
     * but past the bound on keys the oldest go (a node restarted with a lower bound).
     */
    void restore(RememberedAppend remembered) {
        AppendResult result = remembered.result();
        put(result.stream(), remembered.key(), result, remembered.timestamp());
    }

    /**
     * The remembered appends, oldest first, for a checkpoint; called by the writer thread. It copies
     * arrays only: each {@link RememberedAppend} is made when the list is read, off the writer.
     */
    List<RememberedAppend> snapshot() {
        String[] streamsCopy = inOrder(streams, new String[size], streams.length);
        String[] keysCopy = inOrder(keys, new String[size], streams.length);
        long[] timestampsCopy = inOrder(timestamps, new long[size], streams.length);
        long[] offsetsCopy = inOrder(lastOffsets, new long[size], streams.length);
        long[] versionsCopy = inOrder(lastVersions, new long[size], streams.length);
        int[] countsCopy = inOrder(counts, new int[size], streams.length);
        return new AbstractList<>() {
            @Override
            public RememberedAppend get(int index) {
                return new RememberedAppend(keysCopy[index], result(streamsCopy[index], offsetsCopy[index],
                        versionsCopy[index], countsCopy[index]), timestampsCopy[index]);
            }

            @Override
            public int size() {
                return streamsCopy.length;
            }
        };
    }

    int size() {
        return size;
    }

    long droppedByBound() {
        return droppedByBound;
    }

    private void put(String stream, String key, AppendResult result, long timestamp) {
        int hash = hash(stream, key);
        int slot = slotOf(stream, key, hash);
        if (slot < 0) {
            if (size == maxKeys) {
                dropOldest();
                droppedByBound++; // one writer thread
            }
            if (size == streams.length) {
                grow();
            }
            slot = (head + size) & (streams.length - 1);
            size++;
            streams[slot] = stream;
            keys[slot] = key;
            hashes[slot] = hash;
            insertIntoTable(slot);
        } // else: the key again (a restore over a replay); it keeps its place, as a map would
        timestamps[slot] = timestamp;
        lastOffsets[slot] = result.offset();
        lastVersions[slot] = result.version();
        counts[slot] = result.count();
    }

    private void expire(long now) {
        while (size > 0 && timestamps[head] <= now - windowMillis) {
            dropOldest();
        }
    }

    private void dropOldest() {
        removeFromTable(head);
        streams[head] = null;
        keys[head] = null;
        head = (head + 1) & (streams.length - 1);
        size--;
    }

    /** The ring slot of the append remembered under stream and key, or -1. */
    private int slotOf(String stream, String key, int hash) {
        int mask = table.length - 1;
        for (int t = hash & mask; table[t] != 0; t = (t + 1) & mask) {
            int slot = table[t] - 1;
            if (hashes[slot] == hash && keys[slot].equals(key) && streams[slot].equals(stream)) {
                return slot;
            }
        }
        return -1;
    }

    private void insertIntoTable(int slot) {
        int mask = table.length - 1;
        int t = hashes[slot] & mask;
        while (table[t] != 0) {
            t = (t + 1) & mask;
        }
        table[t] = slot + 1;
    }

    /** Linear probing's deletion: entries after the hole that may not skip it move back into it. */
    private void removeFromTable(int slot) {
        int mask = table.length - 1;
        int hole = hashes[slot] & mask;
        while (table[hole] != slot + 1) {
            hole = (hole + 1) & mask;
        }
        for (int t = (hole + 1) & mask; table[t] != 0; t = (t + 1) & mask) {
            int home = hashes[table[t] - 1] & mask;
            // Move it back unless its home lies cyclically in (hole, t]: then it must stay at or after it.
            boolean homeAfterHole = hole <= t ? home > hole && home <= t : home > hole || home <= t;
            if (!homeAfterHole) {
                table[hole] = table[t];
                hole = t;
            }
        }
        table[hole] = 0;
    }

    /** Doubles the ring (the oldest now at slot 0) and the table. */
    private void grow() {
        int ring = streams.length;
        int capacity = ring * 2;
        streams = inOrder(streams, new String[capacity], ring);
        keys = inOrder(keys, new String[capacity], ring);
        hashes = inOrder(hashes, new int[capacity], ring);
        timestamps = inOrder(timestamps, new long[capacity], ring);
        lastOffsets = inOrder(lastOffsets, new long[capacity], ring);
        lastVersions = inOrder(lastVersions, new long[capacity], ring);
        counts = inOrder(counts, new int[capacity], ring);
        head = 0;
        table = new int[2 * capacity];
        for (int slot = 0; slot < size; slot++) {
            insertIntoTable(slot);
        }
    }

    /** Copies the {@link #size} values of a ring of {@code ring} slots, oldest first, to the start of {@code to}. */
    private <A> A inOrder(A from, A to, int ring) {
        int firstPart = Math.min(size, ring - head);
        System.arraycopy(from, head, to, 0, firstPart);
        System.arraycopy(from, 0, to, firstPart, size - firstPart);
        return to;
    }

    private AppendResult resultAt(int slot) {
        return result(streams[slot], lastOffsets[slot], lastVersions[slot], counts[slot]);
    }

    private static AppendResult result(String stream, long lastOffset, long lastVersion, int count) {
        return new AppendResult(stream, lastOffset, lastVersion, lastOffset - (count - 1), lastVersion - (count - 1),
                count);
    }

    /** Spread so that the table's low bits depend on all of the hash. */
    private static int hash(String stream, String key) {
        int h = stream.hashCode() * 31 + key.hashCode();
        return h ^ (h >>> 16);
    }
}

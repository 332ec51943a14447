package io.eventlog.server.raftlog;

import io.eventlog.replication.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest entries written to the Raft log, kept in memory up to a count and a byte budget. A
 * leader applies its entries, and sends them to followers that were behind, right after writing
 * them; so does a follower with what it receives. Reading them back from the queue (a tailer move,
 * a CRC check and a copy per entry) was a tenth of a leader's work. Raft thread only.
 */
final class RecentEntries {
    private final Entry[] ring;
    private final int mask;
    private final long budgetBytes;
    /** Entries {@code first..last} are held (consecutive indexes); none when {@code first > last}. */
    private long first = 1;
    private long last;
    private long bytes;

    /** @param capacity at most this many entries, a power of two */
    RecentEntries(int capacity, long budgetBytes) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        this.ring = new Entry[capacity];
        this.mask = capacity - 1;
        this.budgetBytes = budgetBytes;
    }

    /** Keeps an entry just written; one not right after the last held starts the window over. */
    void written(Entry entry) {
        if (entry.index() != last + 1) {
            clear();
            first = entry.index();
        }
        if (entry.index() - first == ring.length) {
            dropFirst(); // its slot is the new entry's
        }
        ring[slot(entry.index())] = entry;
        last = entry.index();
        bytes += entry.sizeInBytes();
        while (bytes > budgetBytes && first < last) {
            dropFirst();
        }
    }

    /** Forgets entries from {@code index} on (they were superseded). */
    void truncateFrom(long index) {
        while (last >= first && last >= index) {
            bytes -= ring[slot(last)].sizeInBytes();
            ring[slot(last)] = null;
            last--;
        }
    }

    void clear() {
        truncateFrom(first);
        first = last + 1;
    }

    /**
     * Entries {@code from..to-1} as {@link ChronicleRaftStorage#entries} gives them (stopping before the
     * one that would pass {@code maxBytes}, at least one), or null when not all of them are held.
     */
    List<Entry> read(long from, long to, long maxBytes) {
        if (from < first || to - 1 > last || from >= to) {
            return null;
        }
        List<Entry> out = new ArrayList<>((int) Math.min(to - from, 1024));
        long total = 0;
        for (long i = from; i < to; i++) {
            Entry entry = ring[slot(i)];
            if (!out.isEmpty() && total + entry.sizeInBytes() > maxBytes) {
                break;
            }
            total += entry.sizeInBytes();
            out.add(entry);
        }
        return out;
    }

    private void dropFirst() {
        bytes -= ring[slot(first)].sizeInBytes();
        ring[slot(first)] = null;
        first++;
    }

    private int slot(long index) {
        return (int) (index & mask);
    }
}

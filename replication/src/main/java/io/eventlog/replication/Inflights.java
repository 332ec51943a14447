package io.eventlog.replication;

/**
 * The AppendRequests in flight to one follower, as a ring of (last index, bytes), bounded by count
 * and by bytes. Acknowledging index i frees every message ending at or before i.
 */
final class Inflights {

    private final long[] lastIndex;
    private final long[] bytes;
    private final long maxBytes;
    private int start;
    private int count;
    private long totalBytes;

    Inflights(int maxMessages, long maxBytes) {
        this.lastIndex = new long[maxMessages];
        this.bytes = new long[maxMessages];
        this.maxBytes = maxBytes;
    }

    boolean full() {
        return count == lastIndex.length || totalBytes >= maxBytes;
    }

    int count() {
        return count;
    }

    void add(long index, long size) {
        if (count == lastIndex.length) {
            throw new IllegalStateException("inflights full");
        }
        int slot = (start + count) % lastIndex.length;
        lastIndex[slot] = index;
        bytes[slot] = size;
        count++;
        totalBytes += size;
    }

    void freeUpTo(long index) {
        while (count > 0 && lastIndex[start] <= index) {
            totalBytes -= bytes[start];
            start = (start + 1) % lastIndex.length;
            count--;
        }
    }

    void reset() {
        start = 0;
        count = 0;
        totalBytes = 0;
    }
}

package io.eventlog.server.streams;

import java.util.Arrays;

/**
 * One stream's entries: version v is stored at offset {@code offsetOf(v)}. A lookup by version is
 * one array read, so {@code from_version=V} never scans the log.
 *
 * <p>One writer thread appends; any thread reads. The writer fills the slot before publishing the
 * new count (volatile), and a grown array is published before the count that needs it, so a reader
 * that reads the count first always sees filled slots.
 */
public final class StreamIndex {
    private volatile long[] offsets = new long[4];
    private volatile int count;

    /** Records the offset of the stream's next version. */
    void append(long offset) {
        long[] current = offsets;
        int n = count;
        if (n == current.length) {
            current = Arrays.copyOf(current, n * 2);
            offsets = current;
        }
        current[n] = offset;
        count = n + 1;
    }

    /** The stream's last version, -1 when it has no entries. */
    public long lastVersion() {
        return count - 1;
    }

    /** Number of versions; the next version appended gets this number. */
    public int size() {
        return count;
    }

    /** How many versions are stored at offsets ≤ {@code offset} (offsets grow with versions). */
    public int countAtOrBelow(long offset) {
        int n = count;
        long[] current = offsets;
        int low = 0;
        int high = n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (current[mid] <= offset) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The offset of {@code version}, which must be below {@link #size()}. */
    public long offsetOf(long version) {
        int n = count;
        if (version < 0 || version >= n) {
            throw new IndexOutOfBoundsException("version " + version + " of " + n);
        }
        return offsets[(int) version];
    }
}

package io.eventlog.server.streams;

import java.util.Arrays;

/**
 * One stream's entries: version v is stored at offset {@code offsetOf(v)}. A lookup by version is
 * two array reads, so {@code from_version=V} never scans the log.
 *
 * <p>Offsets live in chunks of {@value #CHUNK} longs (the first chunk starts small and doubles up to
 * that size, so a small stream stays small). A big stream therefore costs 8 bytes per version plus at
 * most one partly filled chunk, and growing never copies more than one chunk on the writer thread.
 *
 * <p>One writer thread appends; any thread reads. The writer fills the slot (and publishes a new
 * chunk directory) before publishing the new count, which is volatile: a reader that reads the count
 * first always sees filled slots.
 */
public final class StreamIndex {
    private static final int CHUNK_BITS = 13;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int FIRST_CHUNK = 4;

    private volatile long[][] chunks = {new long[FIRST_CHUNK]};
    private volatile int count;

    /** Records the offset of the stream's next version. */
    void append(long offset) {
        appendRange(offset, 1);
    }

    /**
     * Records that the stream's next {@code length} versions are at consecutive offsets from
     * {@code firstOffset} (one append), publishing the count once.
     */
    void appendRange(long firstOffset, int length) {
        int n = count;
        for (int i = 0; i < length; i++) {
            place(n + i, firstOffset + i);
        }
        count = n + length;
    }

    /** Records the offsets of the stream's next {@code length} versions, publishing the count once. */
    void appendAll(long[] offsets, int length) {
        int n = count;
        for (int i = 0; i < length; i++) {
            place(n + i, offsets[i]);
        }
        count = n + length;
    }

    /** Fills version's slot, making room first; the caller publishes the new count. */
    private void place(int version, long offset) {
        long[][] directory = chunks;
        int chunk = version >>> CHUNK_BITS;
        int slot = version & (CHUNK - 1);
        if (chunk == directory.length || directory[chunk] == null || slot == directory[chunk].length) {
            directory = grown(directory, chunk, slot);
            chunks = directory;
        }
        directory[chunk][slot] = offset;
    }

    /** A directory with room at (chunk, slot); the chunks readers may hold are never written again. */
    private static long[][] grown(long[][] directory, int chunk, int slot) {
        long[][] next = chunk == directory.length ? Arrays.copyOf(directory, directory.length * 2) : directory;
        next[chunk] = next[chunk] == null ? new long[CHUNK] : Arrays.copyOf(next[chunk], Math.min(CHUNK, slot * 2));
        return next;
    }

    /**
     * The stream as it is now, for a checkpoint; called by the writer thread. Costs one copy of the
     * chunk directory: the slots below the count are never written again, so the chunks are shared.
     */
    StreamSnapshot snapshot(String stream) {
        int n = count;
        int usedChunks = (n + CHUNK - 1) >>> CHUNK_BITS;
        return new StreamSnapshot(stream, Arrays.copyOf(chunks, usedChunks), n);
    }

    /** The offset of {@code version} in chunks laid out as this class lays them out. */
    static long offsetIn(long[][] chunks, int version) {
        return chunks[version >>> CHUNK_BITS][version & (CHUNK - 1)];
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
        long[][] directory = chunks;
        int low = 0;
        int high = n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (offsetIn(directory, mid) <= offset) {
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
        return offsetIn(chunks, (int) version);
    }
}

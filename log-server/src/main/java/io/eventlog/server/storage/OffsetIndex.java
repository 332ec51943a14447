package io.eventlog.server.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each live offset is stored: offset → Chronicle queue index. Offsets are written in runs
 * (consecutive offsets at consecutive queue indexes), so the index keeps one small segment per run,
 * not one slot per entry: a new run starts only at a cycle roll or where a dead region (a cut-back
 * corrupt tail) was skipped. Its memory does not grow with the log's length.
 *
 * <p>One writer thread adds; any thread looks up. The segment array is replaced on each new run
 * (rare); the last segment's end is a volatile that the writer advances.
 */
public final class OffsetIndex {

    /** Offsets {@code firstOffset..lastOffset} stored at consecutive queue indexes from {@code firstQueueIndex}. */
    public record Run(long firstOffset, long firstQueueIndex, long lastOffset) {
        public long lastQueueIndex() {
            return firstQueueIndex + (lastOffset - firstOffset);
        }
    }

    private static final class Segment {
        final long firstOffset;
        final long firstQueueIndex;
        volatile long lastOffset;

        Segment(long firstOffset, long firstQueueIndex) {
            this.firstOffset = firstOffset;
            this.firstQueueIndex = firstQueueIndex;
            this.lastOffset = firstOffset;
        }

        long queueIndexOf(long offset) {
            return firstQueueIndex + (offset - firstOffset);
        }
    }

    private static final Segment[] NONE = new Segment[0];

    private volatile Segment[] segments = NONE;
    /** Offsets below it are no longer held: deleted by retention, or before a snapshot received from the leader. */
    private volatile long firstHeld = 1;

    /** Records that {@code offset} lives at {@code queueIndex}. Offsets must be added in increasing order. */
    public void add(long offset, long queueIndex) {
        Segment[] current = segments;
        Segment last = current.length == 0 ? null : current[current.length - 1];
        if (last != null && offset <= last.lastOffset) {
            throw new IllegalStateException("offset " + offset + " added after " + last.lastOffset);
        }
        if (last != null && offset == last.lastOffset + 1 && queueIndex == last.queueIndexOf(offset)) {
            last.lastOffset = offset;
            return;
        }
        Segment[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Segment(offset, queueIndex);
        segments = next;
    }

    /**
     * Adds a run of offsets stored at consecutive queue indexes (one a checkpoint held, or an append's),
     * after every offset held; it continues the last run when it follows on from it.
     */
    public void addRun(Run run) {
        if (run.lastOffset() < run.firstOffset()) {
            throw new IllegalStateException("run " + run + " ends before it starts");
        }
        add(run.firstOffset(), run.firstQueueIndex());
        segments[segments.length - 1].lastOffset = run.lastOffset();
    }

    /** The first offset this node holds; a reader asking for one below it is told it expired. */
    public long firstHeldOffset() {
        return firstHeld;
    }

    /** Sets the first offset held, as a checkpoint recorded it. */
    public void restoreFirstHeld(long offset) {
        firstHeld = offset;
    }

    /**
     * Forgets every offset and holds none below {@code firstOffset}: the node starts over from a
     * snapshot at {@code firstOffset - 1}. Called by the thread that adds.
     */
    public void restartAt(long firstOffset) {
        segments = NONE;
        firstHeld = firstOffset;
    }

    /**
     * Forgets the offsets stored below {@code queueIndex} (retention is deleting those files): the first
     * held offset becomes the one after the last forgotten. Called by the thread that adds.
     */
    public void dropBelowQueueIndex(long queueIndex) {
        Segment[] current = segments;
        int keep = 0;
        long lastDropped = -1;
        while (keep < current.length && current[keep].queueIndexOf(current[keep].lastOffset) < queueIndex) {
            lastDropped = current[keep].lastOffset;
            keep++;
        }
        Segment[] next = Arrays.copyOfRange(current, keep, current.length);
        if (next.length > 0 && next[0].firstQueueIndex < queueIndex) {
            Segment straddling = next[0];
            long first = straddling.firstOffset + (queueIndex - straddling.firstQueueIndex);
            next[0] = new Segment(first, queueIndex);
            next[0].lastOffset = straddling.lastOffset;
            lastDropped = first - 1;
        }
        segments = next;
        if (lastDropped >= firstHeld) {
            firstHeld = lastDropped + 1;
        }
    }

    /** Takes {@code other}'s runs and first held offset (a checkpoint restored at start-up). */
    public void replaceWith(OffsetIndex other) {
        segments = other.segments;
        firstHeld = other.firstHeld;
    }

    /** The runs as they are now, for a checkpoint; called by the writer thread. */
    public List<Run> runs() {
        Segment[] current = segments;
        List<Run> runs = new ArrayList<>(current.length);
        for (Segment segment : current) {
            runs.add(new Run(segment.firstOffset, segment.firstQueueIndex, segment.lastOffset));
        }
        return runs;
    }

    /** The queue index holding {@code offset}, or -1 when no live entry has that offset. */
    public long queueIndexOf(long offset) {
        Segment[] current = segments;
        int i = segmentAtOrBefore(current, offset);
        if (i < 0) {
            return -1;
        }
        Segment segment = current[i];
        return offset <= segment.lastOffset ? segment.queueIndexOf(offset) : -1;
    }

    /** The smallest live offset ≥ {@code offset}, or -1 when there is none (yet). */
    public long firstLiveAtOrAfter(long offset) {
        Segment[] current = segments;
        int i = segmentAtOrBefore(current, offset);
        if (i >= 0 && offset <= current[i].lastOffset) {
            return offset;
        }
        return i + 1 < current.length ? current[i + 1].firstOffset : -1;
    }

    /** The largest live offset, or -1 for an empty log. */
    public long lastOffset() {
        Segment[] current = segments;
        return current.length == 0 ? -1 : current[current.length - 1].lastOffset;
    }

    /** The queue index of the largest live offset, or -1 for an empty log. */
    public long lastQueueIndex() {
        Segment[] current = segments;
        if (current.length == 0) {
            return -1;
        }
        Segment last = current[current.length - 1];
        return last.queueIndexOf(last.lastOffset);
    }

    /** Number of runs held; for tests and memory accounting. */
    public int segmentCount() {
        return segments.length;
    }

    private static int segmentAtOrBefore(Segment[] current, long offset) {
        return RunSearch.lastStartingAtOrBefore(current, segment -> segment.firstOffset, offset);
    }
}

package io.eventlog.server.raftlog;

import io.eventlog.server.storage.RunSearch;
import java.util.Arrays;

/**
 * Where each live Raft entry is stored: Raft index → (queue index, term). Entries are written in runs
 * (consecutive indexes at consecutive queue indexes, all of one term), so the index keeps one small
 * run per stretch, not one slot per entry: a new run starts at a term change, a cycle roll, or after
 * a truncation (its marker takes a queue index). The live indexes are always contiguous.
 *
 * <p>Only the Raft thread changes it. Any thread may look up ({@link #queueIndexOf} and the other
 * public methods): the run array is replaced whenever its shape changes (rare), and a run is never
 * changed after it was published except for the last run's end, a volatile the Raft thread advances
 * after the entry is in the queue. A lookup racing with a truncation may still see the superseded
 * entry; readers only look up committed entries, which are never superseded.
 */
public final class RaftLogIndex {

    private static final class Run {
        final long firstIndex;
        final long firstQueueIndex;
        final long term;
        volatile long lastIndex;

        Run(long firstIndex, long firstQueueIndex, long term, long lastIndex) {
            this.firstIndex = firstIndex;
            this.firstQueueIndex = firstQueueIndex;
            this.term = term;
            this.lastIndex = lastIndex;
        }

        long queueIndexOf(long index) {
            return firstQueueIndex + (index - firstIndex);
        }

        /** This run without its entries below {@code index}. */
        Run from(long index) {
            return new Run(index, queueIndexOf(index), term, lastIndex);
        }

        /** This run without its entries above {@code index}. */
        Run through(long index) {
            return new Run(firstIndex, firstQueueIndex, term, index);
        }
    }

    private static final Run[] NONE = new Run[0];

    private volatile Run[] runs = NONE;

    /** Records that entry {@code index} of {@code term} is at {@code queueIndex}; it must follow the last one. */
    void add(long index, long term, long queueIndex) {
        Run[] current = runs;
        if (current.length == 0) {
            runs = new Run[] {new Run(index, queueIndex, term, index)};
            return;
        }
        Run last = current[current.length - 1];
        if (index != last.lastIndex + 1) {
            throw new IllegalStateException("index " + index + " added after " + last.lastIndex);
        }
        if (term == last.term && queueIndex == last.queueIndexOf(index)) {
            last.lastIndex = index;
            return;
        }
        Run[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Run(index, queueIndex, term, index);
        runs = next;
    }

    /** Forgets every entry at or above {@code index}. */
    void truncateFrom(long index) {
        Run[] current = runs;
        int at = runAtOrBefore(current, index);
        if (at < 0) {
            runs = NONE;
        } else if (index <= current[at].lastIndex) {
            Run[] next = Arrays.copyOf(current, index == current[at].firstIndex ? at : at + 1);
            if (index > current[at].firstIndex) {
                next[at] = current[at].through(index - 1);
            }
            runs = next;
        }
    }

    /** Forgets every entry at or below {@code index} (they are in a snapshot now). */
    void dropThrough(long index) {
        Run[] current = runs;
        if (current.length == 0 || index < firstIndex()) {
            return;
        }
        if (index >= lastIndex()) {
            runs = NONE;
            return;
        }
        int at = runAtOrBefore(current, index + 1);
        Run[] next = Arrays.copyOfRange(current, at, current.length);
        next[0] = current[at].from(index + 1);
        runs = next;
    }

    void clear() {
        runs = NONE;
    }

    /** The queue index of live entry {@code index}, or -1 when no live entry has that index. */
    public long queueIndexOf(long index) {
        Run run = runOf(index);
        return run == null ? -1 : run.queueIndexOf(index);
    }

    /** The term of live entry {@code index}, or -1 when no live entry has that index. */
    public long term(long index) {
        Run run = runOf(index);
        return run == null ? -1 : run.term;
    }

    public boolean isEmpty() {
        return runs.length == 0;
    }

    /** The first live index, or -1 when there is none. */
    public long firstIndex() {
        Run[] current = runs;
        return current.length == 0 ? -1 : current[0].firstIndex;
    }

    /** The last live index, or -1 when there is none. */
    public long lastIndex() {
        Run[] current = runs;
        return current.length == 0 ? -1 : current[current.length - 1].lastIndex;
    }

    /** The number of runs held: what the index's memory grows with. */
    public int runCount() {
        return runs.length;
    }

    private Run runOf(long index) {
        Run[] current = runs;
        int at = runAtOrBefore(current, index);
        return at >= 0 && index <= current[at].lastIndex ? current[at] : null;
    }

    private static int runAtOrBefore(Run[] current, long index) {
        return RunSearch.lastStartingAtOrBefore(current, run -> run.firstIndex, index);
    }
}

package io.eventlog.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * ReadIndex requests on the leader (thesis §6.4), in arrival order. Each records the commit index
 * when it arrived and a sequence number carried by the next heartbeat round; it is confirmed once a
 * quorum acknowledged that sequence number in this term.
 */
final class PendingReads {

    /** A read from {@code origin} (this node or a follower) with the driver's {@code context}. */
    record Read(long origin, long context, long index, long seq) {
    }

    private final ArrayDeque<Read> waiting = new ArrayDeque<>();
    /** Reads that arrived before the leader committed an entry of its term: their index is not known yet. */
    private final List<long[]> beforeFirstCommit = new ArrayList<>();

    boolean isEmpty() {
        return waiting.isEmpty() && beforeFirstCommit.isEmpty();
    }

    void add(Read read) {
        waiting.add(read);
    }

    void deferUntilCommit(long origin, long context) {
        beforeFirstCommit.add(new long[] {origin, context});
    }

    /** The reads that were waiting for the first commit of the term. */
    List<long[]> takeDeferred() {
        List<long[]> out = new ArrayList<>(beforeFirstCommit);
        beforeFirstCommit.clear();
        return out;
    }

    /** Removes and returns the reads with sequence number at most {@code confirmedSeq}. */
    List<Read> confirm(long confirmedSeq) {
        List<Read> out = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().seq() <= confirmedSeq) {
            out.add(waiting.pollFirst());
        }
        return out;
    }

    void clear() {
        waiting.clear();
        beforeFirstCommit.clear();
    }
}

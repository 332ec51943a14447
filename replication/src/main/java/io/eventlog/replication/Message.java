package io.eventlog.replication;

import java.util.List;

/**
 * What nodes send each other. Every message names its group, sender, receiver and the sender's
 * term; the driver routes by {@link #group()} and {@link #to()} and needs nothing else.
 */
public sealed interface Message {

    long group();

    long from();

    long to();

    long term();

    /**
     * Asks for a vote. A pre-vote ({@code preVote}) names the term the sender would campaign in and
     * changes nobody's state. {@code transfer} marks an election forced by leadership transfer, which
     * voters grant even while they still hear from a leader.
     */
    record VoteRequest(long group, long from, long to, long term, long lastIndex, long lastTerm,
                       boolean preVote, boolean transfer) implements Message {
    }

    record VoteResponse(long group, long from, long to, long term, boolean granted, boolean preVote)
            implements Message {
    }

    /** AppendEntries: {@code entries} follow {@code (prevIndex, prevTerm)}; {@code commit} is the leader's commit index. */
    record AppendRequest(long group, long from, long to, long term, long prevIndex, long prevTerm,
                         List<Entry> entries, long commit) implements Message {
        public AppendRequest {
            entries = List.copyOf(entries);
        }
    }

    /**
     * On success {@code index} is the follower's durable match index. On rejection {@code index} is
     * the rejected {@code prevIndex} and the hint says where the follower's log diverges: the term it
     * holds at prevIndex ({@code hintTerm}, 0 if its log is shorter) and the first index it holds for
     * that term ({@code hintIndex}, or its last index + 1 if its log is shorter).
     */
    record AppendResponse(long group, long from, long to, long term, boolean success, long index,
                          long hintIndex, long hintTerm) implements Message {
    }

    /** Keeps followers quiet and carries the commit index; {@code readSeq} confirms ReadIndex requests. */
    record Heartbeat(long group, long from, long to, long term, long commit, long readSeq) implements Message {
    }

    record HeartbeatResponse(long group, long from, long to, long term, long readSeq) implements Message {
    }

    /** One chunk of the leader's snapshot, starting at byte {@code offset}; {@code last} marks the final chunk. */
    record SnapshotChunk(long group, long from, long to, long term, SnapshotMeta meta, long offset,
                         byte[] data, boolean last) implements Message {
    }

    /** What the follower did with a snapshot chunk. */
    record SnapshotResponse(long group, long from, long to, long term, long snapshotIndex, long nextOffset,
                            Outcome outcome) implements Message {
        public enum Outcome {
            /** Send the chunk at {@code nextOffset}. */
            CONTINUE,
            /** The whole snapshot is durable on the follower. */
            INSTALLED,
            /** The follower's log already covers the snapshot: resume with entries after it. */
            SKIPPED
        }
    }

    /** Leadership transfer: the target is caught up and should campaign now. */
    record TimeoutNow(long group, long from, long to, long term) implements Message {
    }

    /** A follower forwards a ReadIndex request to its leader. */
    record ReadIndexRequest(long group, long from, long to, long term, long context) implements Message {
    }

    /** The leader confirms a forwarded read: serve it once {@code index} is applied. */
    record ReadIndexResponse(long group, long from, long to, long term, long context, long index)
            implements Message {
    }
}

package io.eventlog.server.checkpoint;

/**
 * What a cluster member's checkpoint adds, so that it can serve as a Raft snapshot: the index and
 * term of the last entry the state has applied, and the membership in force there (the Raft core's
 * encoding, opaque here). A single node has none: {@link #NONE}.
 */
public record RaftMeta(long appliedIndex, long appliedTerm, byte[] membership) {
    public static final RaftMeta NONE = new RaftMeta(0, 0, new byte[0]);
}

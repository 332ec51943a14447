package io.eventlog.replication;

/** The role a node plays in its current term. */
public enum Role {
    FOLLOWER,
    /** Asking for pre-votes (Raft thesis §9.6): it has not raised its term yet. */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}

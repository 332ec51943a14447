package io.eventlog.replication;

/** What an entry carries. Only {@link #NORMAL} entries hold client data. */
public enum EntryKind {
    /** A client proposal: the payload is the application's bytes. */
    NORMAL,
    /** The empty entry a new leader appends at the start of its term (Raft §5.4.2, §8). */
    NOOP,
    /** A membership change: the payload is the whole new {@link ClusterConfig}, see {@link ClusterConfig#decode}. */
    CONFIG
}

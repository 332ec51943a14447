package io.eventlog.replication;

/**
 * A confirmed linearizable read: once the local state machine has applied {@code index}, the read
 * identified by {@code context} (the value given to {@link RaftNode#readIndex}) may be served.
 */
public record ReadState(long context, long index) {
}

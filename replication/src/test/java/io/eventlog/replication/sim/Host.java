package io.eventlog.replication.sim;

import io.eventlog.replication.MemoryStorage;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Ready;
import java.util.ArrayDeque;

/** One simulated machine: its durable storage, its node while it runs, its state machine, its disk queue. */
public final class Host {

    record Write(long dueAt, Ready ready) {
    }

    final long id;
    final MemoryStorage storage;
    RaftNode node;
    App app = new App();
    final ArrayDeque<Write> writes = new ArrayDeque<>();
    long lastHanded;
    long lastCommitSeen;
    final java.util.List<io.eventlog.replication.ReadState> readStates = new java.util.ArrayList<>();

    Host(long id, MemoryStorage storage) {
        this.id = id;
        this.storage = storage;
    }

    public boolean up() {
        return node != null;
    }

    public RaftNode node() {
        return node;
    }

    public MemoryStorage storage() {
        return storage;
    }

    /** The entries this node applied (the last few thousand), for scenario assertions. */
    public java.util.List<io.eventlog.replication.Entry> applied() {
        return app.entries;
    }

    /** The read states this node has received. */
    public java.util.List<io.eventlog.replication.ReadState> readStates() {
        return readStates;
    }

    public long appliedIndex() {
        return app.applied;
    }
}

package io.eventlog.server.replicated;

import io.eventlog.replication.Message;

/** What the Raft driver needs from the node-to-node transport. Every method may be called from any thread. */
public interface PeerLinks extends AutoCloseable {

    /** Sends a Raft message; may drop it (Raft tolerates loss). */
    void send(Message message);

    /** Sends driver bytes (a forwarded append or its reply) to {@code to}; may drop them. */
    void sendApp(long to, byte[] message);

    /** The HTTP address (host:port) the node said it serves, or null while unknown. */
    String httpAddressOf(long nodeId);

    @Override
    void close();
}

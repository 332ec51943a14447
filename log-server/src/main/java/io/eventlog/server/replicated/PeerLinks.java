package io.eventlog.server.replicated;

import io.eventlog.replication.Message;
import java.net.InetSocketAddress;
import java.util.Map;

/** What the Raft driver needs from the node-to-node transport. Every method may be called from any thread. */
public interface PeerLinks extends AutoCloseable {

    /** Sends a Raft message; may drop it (Raft tolerates loss). */
    void send(Message message);

    /**
     * Sends driver bytes (a forwarded append or its reply) to {@code to}; may drop them. Returns
     * false if they were dropped at once (no live link to {@code to}).
     */
    boolean sendApp(long to, byte[] message);

    /** Connects to these members (this node's own entry is ignored) and drops links to others. */
    void updatePeers(Map<Long, InetSocketAddress> peers);

    /** The HTTP address (host:port) the node said it serves, or null while unknown. */
    String httpAddressOf(long nodeId);

    @Override
    void close();
}

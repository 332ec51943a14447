package io.eventlog.client.binary;

import io.eventlog.binary.BinaryConnection;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeConnection;
import io.eventlog.client.transport.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections to nodes over the binary protocol (docs/PROTOCOL.md): one TCP connection per node,
 * shared by every request to it. The protocol's CLUSTER answer names the leader by id; the
 * transport maps ids to the addresses it was given, learnt from each node's HELLO answer.
 */
public final class BinaryTransport implements Transport {
    private final Duration connectTimeout;
    private final Duration silenceLimit;
    private final Set<BinaryNodeConnection> opened = ConcurrentHashMap.newKeySet();
    /** Node id to address, as the nodes introduced themselves. */
    private final Map<String, NodeAddress> addresses = new ConcurrentHashMap<>();

    /**
     * @param connectTimeout longest wait for a connection to a node and its HELLO answer
     * @param silenceLimit   a connection that hears nothing, not even the node's heartbeat, this long is lost
     *                       (its requests fail over as for a closed one)
     */
    public BinaryTransport(Duration connectTimeout, Duration silenceLimit) {
        this.connectTimeout = connectTimeout;
        this.silenceLimit = silenceLimit;
    }

    /** With {@link BinaryConnection#DEFAULT_SILENCE_LIMIT}. */
    public BinaryTransport(Duration connectTimeout) {
        this(connectTimeout, BinaryConnection.DEFAULT_SILENCE_LIMIT);
    }

    @Override
    public NodeConnection connect(NodeAddress address) {
        BinaryNodeConnection connection = new BinaryNodeConnection(address, connectTimeout, silenceLimit, addresses);
        opened.add(connection);
        return connection;
    }

    @Override
    public void close() {
        opened.forEach(BinaryNodeConnection::close);
        opened.clear();
    }
}

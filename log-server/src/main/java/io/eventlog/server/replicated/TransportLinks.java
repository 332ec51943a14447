package io.eventlog.server.replicated;

import io.eventlog.replication.Message;
import io.eventlog.server.transport.PeerTransport;
import io.eventlog.server.transport.TransportConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Map;

/** The Raft driver's peer links over {@link PeerTransport}: inbound traffic goes to the driver's inbox. */
public final class TransportLinks implements PeerLinks {
    private final PeerTransport transport;

    private TransportLinks(PeerTransport transport) {
        this.transport = transport;
    }

    /** Binds this node's peer address and starts connecting to the other members. */
    /** @param raftLoop the Raft driver's thread; the transport runs every connection on it, and shuts it down when closed */
    public static TransportLinks start(ReplicationConfig config, RaftDriver driver, MeterRegistry meters,
                                       EventLoopGroup raftLoop) {
        PeerTransport transport = PeerTransport.start(TransportConfig.defaults(), config.nodeId(), config.httpAddress(),
                config.selfAddress(), config.peers(), driver::deliver, driver::deliverApp, driver::unreachable, raftLoop);
        for (long peer : config.peers().keySet()) {
            if (peer != config.nodeId()) {
                Gauge.builder("eventlog.peer.queued.bytes", transport, t -> t.queuedBytes(peer))
                        .description("Bytes waiting to be sent to a peer").baseUnit("bytes")
                        .tag("peer", String.valueOf(peer)).register(meters);
            }
        }
        return new TransportLinks(transport);
    }

    @Override
    public void send(Message message) {
        transport.send(message);
    }

    @Override
    public boolean sendApp(long to, byte[] message) {
        return transport.sendApp(to, message);
    }

    @Override
    public void updatePeers(Map<Long, InetSocketAddress> peers) {
        transport.updatePeers(peers);
    }

    @Override
    public String httpAddressOf(long nodeId) {
        return transport.advertisedHttpAddress(nodeId);
    }

    @Override
    public void close() {
        transport.close();
    }
}

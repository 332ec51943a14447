package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport on 127.0.0.1 that records what it receives, per sending peer, and its unreachable reports. */
final class TestNode implements AutoCloseable {
    final long id;
    final PeerTransport transport;
    private final Map<Long, List<Message>> received = new ConcurrentHashMap<>();
    private final Map<Long, List<byte[]>> receivedApp = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> unreachable = new ConcurrentHashMap<>();

    private TestNode(long id, TransportConfig config, int port, Map<Long, InetSocketAddress> peers) {
        this.id = id;
        this.transport = PeerTransport.start(config, id, httpAddress(id),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), peers,
                m -> listFor(received, m.from()).add(m),
                (from, data) -> listFor(receivedApp, from).add(data),
                peer -> unreachable.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet());
    }

    static TestNode start(long id, TransportConfig config, int port, Map<Long, InetSocketAddress> peers) {
        return new TestNode(id, config, port, peers);
    }

    /** Nodes 1..n on ephemeral ports, each told the others' addresses, all links up. */
    static TestNode[] cluster(int n, TransportConfig config) {
        TestNode[] nodes = new TestNode[n];
        Map<Long, InetSocketAddress> addresses = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            nodes[i] = start(i + 1, config, 0, Map.of());
            addresses.put(nodes[i].id, nodes[i].address());
        }
        for (TestNode node : nodes) {
            node.transport.updatePeers(addresses);
        }
        for (TestNode from : nodes) {
            for (TestNode to : nodes) {
                if (from != to) {
                    Await.until("link " + from.id + " -> " + to.id, () -> from.transport.isConnected(to.id));
                }
            }
        }
        return nodes;
    }

    static String httpAddress(long id) {
        return "127.0.0.1:" + (7070 + id);
    }

    InetSocketAddress address() {
        return transport.boundAddress();
    }

    List<Message> receivedFrom(long peer) {
        return listFor(received, peer);
    }

    List<byte[]> appFrom(long peer) {
        return listFor(receivedApp, peer);
    }

    int unreachableReports(long peer) {
        AtomicInteger count = unreachable.get(peer);
        return count == null ? 0 : count.get();
    }

    private static <T> List<T> listFor(Map<Long, List<T>> map, long peer) {
        return map.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>());
    }

    @Override
    public void close() {
        transport.close();
    }
}

package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * A {@link TcpProxy} on every directed peer link {@code from → to} of a cluster: node {@code from} reaches
 * node {@code to} through {@link #link(int, int)}. A node sends to a peer only on the connection it opened
 * to it (the peer answers on its own link), so the proxy's upstream carries everything {@code from} says
 * to {@code to}; its downstream carries no messages.
 */
final class LinkProxies implements AutoCloseable {
    private final Map<Integer, TcpProxy> links = new TreeMap<>();
    private final int size;

    /** @param peerPort where node {@code id} (1 to {@code size}) listens for its peers */
    LinkProxies(int size, IntUnaryOperator peerPort) {
        this.size = size;
        for (int from = 1; from <= size; from++) {
            for (int to = 1; to <= size; to++) {
                if (from != to) {
                    links.put(key(from, to), TcpProxy.start(new InetSocketAddress("127.0.0.1",
                            peerPort.applyAsInt(to))));
                }
            }
        }
    }

    TcpProxy link(int from, int to) {
        TcpProxy proxy = links.get(key(from, to));
        if (proxy == null) {
            throw new IllegalArgumentException("no link " + from + " -> " + to + " in a cluster of " + size);
        }
        return proxy;
    }

    /** Every link between a node of {@code a} and one of {@code b}, both ways, in {@code mode}. */
    void between(Collection<Integer> a, Collection<Integer> b, Mode mode) {
        for (int x : a) {
            for (int y : b) {
                link(x, y).both(mode);
                link(y, x).both(mode);
            }
        }
    }

    /** Every link back to PASS. */
    void heal() {
        links.values().forEach(TcpProxy::heal);
    }

    /** The links not in PASS, for messages. */
    String faults() {
        StringBuilder text = new StringBuilder();
        links.forEach((key, proxy) -> {
            if (!proxy.upstreamMode().equals(Mode.PASS) || !proxy.downstreamMode().equals(Mode.PASS)) {
                text.append(key / 100).append("->").append(key % 100).append(' ').append(proxy.upstreamMode())
                        .append('/').append(proxy.downstreamMode()).append("; ");
            }
        });
        return text.length() == 0 ? "all links pass" : text.toString();
    }

    private static int key(int from, int to) {
        return from * 100 + to;
    }

    @Override
    public void close() {
        links.values().forEach(TcpProxy::close);
    }
}

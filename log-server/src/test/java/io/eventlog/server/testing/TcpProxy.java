package io.eventlog.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that puts network faults between a client and a target: every connection
 * accepted on {@link #port()} is forwarded to the target, and each direction has a {@link Mode} that
 * can be switched at any time. "Upstream" is client to target, "downstream" target to client.
 *
 * <ul>
 * <li>{@link Mode#PASS}: bytes flow.</li>
 * <li>{@link Mode#delay}: each byte is held for the duration, in order (a slow link).</li>
 * <li>{@link Mode#BLACKHOLE}: bytes are read and dropped, connections stay open (a partition: the
 *     peer hears nothing, and sees no error either). A connection that lost bytes has a hole in its
 *     byte stream that real TCP would never deliver, so it is reset when its direction leaves
 *     BLACKHOLE; new connections then flow.</li>
 * <li>{@link Mode#CUT}: every open connection is reset (RST on both sides), and connections accepted
 *     while either direction is CUT are reset at once. A connection has no half that could be cut
 *     alone, so CUT on either direction cuts the whole connection.</li>
 * </ul>
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", nodePort))) {
 *     client.connectTo(proxy.port());
 *     proxy.upstream(TcpProxy.Mode.BLACKHOLE);   // the node stops hearing the client
 *     proxy.heal();                              // every direction back to PASS
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** What a direction does with the bytes it reads. */
    public record Mode(Kind kind, Duration delay) {
        public static final Mode PASS = new Mode(Kind.PASS, Duration.ZERO);
        public static final Mode BLACKHOLE = new Mode(Kind.BLACKHOLE, Duration.ZERO);
        public static final Mode CUT = new Mode(Kind.CUT, Duration.ZERO);

        public enum Kind { PASS, DELAY, BLACKHOLE, CUT }

        public Mode {
            Objects.requireNonNull(kind, "kind");
            if (delay.isNegative() || (kind == Kind.DELAY) == delay.isZero()) {
                throw new IllegalArgumentException("a positive delay goes with DELAY only: " + kind + " " + delay);
            }
        }

        public static Mode delay(Duration delay) {
            return new Mode(Kind.DELAY, delay);
        }

        @Override
        public String toString() {
            return kind == Kind.DELAY ? "DELAY(" + delay.toMillis() + " ms)" : kind.name();
        }
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final ProxyDirection upstream = new ProxyDirection("upstream");
    private final ProxyDirection downstream = new ProxyDirection("downstream");
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private TcpProxy(int port, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on 127.0.0.1 and an ephemeral port, to {@code target} (a loopback address). */
    public static TcpProxy start(InetSocketAddress target) {
        return start(0, target);
    }

    /** A proxy on 127.0.0.1:{@code port} (0: ephemeral), to {@code target} (a loopback address). */
    public static TcpProxy start(int port, InetSocketAddress target) {
        if (target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback only, not to " + target);
        }
        try {
            return new TcpProxy(port, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress target() {
        return target;
    }

    /** Bytes the proxy has written to clients so far (target to client, all connections). */
    public long downstreamBytes() {
        return downstream.deliveredBytes();
    }

    public void upstream(Mode mode) {
        switchTo(upstream, mode);
    }

    public void downstream(Mode mode) {
        switchTo(downstream, mode);
    }

    public void both(Mode mode) {
        upstream(mode);
        downstream(mode);
    }

    /** Every direction back to {@link Mode#PASS}. */
    public void heal() {
        both(Mode.PASS);
    }

    public Mode upstreamMode() {
        return upstream.mode();
    }

    public Mode downstreamMode() {
        return downstream.mode();
    }

    /** Connections accepted and not closed yet. */
    public int openConnections() {
        return connections.size();
    }

    private void switchTo(ProxyDirection direction, Mode mode) {
        Mode before = direction.switchTo(mode);
        for (ProxyConnection connection : connections) {
            if (mode.kind() == Mode.Kind.CUT
                    || before.kind() == Mode.Kind.BLACKHOLE && mode.kind() != Mode.Kind.BLACKHOLE
                    && connection.lostBytes(direction)) {
                connection.reset();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (upstream.mode().kind() == Mode.Kind.CUT || downstream.mode().kind() == Mode.Kind.CUT) {
                ProxyConnection.reset(client);
                continue;
            }
            Socket outbound = new Socket();
            try {
                outbound.connect(target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                // The target is down: the client sees its connection reset, as it would without the proxy.
                ProxyConnection.reset(outbound);
                ProxyConnection.reset(client);
                continue;
            }
            ProxyConnection connection = new ProxyConnection(client, outbound, upstream, downstream, connections::remove);
            connections.add(connection);
            connection.start("tcp-proxy-" + port() + "-" + client.getPort());
            if (closed) {
                connection.reset();
            }
        }
    }

    /** Stops accepting and resets every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.forEach(ProxyConnection::reset);
        try {
            acceptor.join(CONNECT_TIMEOUT_MILLIS * 2L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + ", upstream " + upstream.mode() + ", downstream "
                + downstream.mode() + ", " + connections.size() + " connections]";
    }
}

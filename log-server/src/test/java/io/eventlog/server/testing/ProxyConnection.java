package io.eventlog.server.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One connection through a {@link TcpProxy}: the client's socket, the target's, and a pump each way. */
final class ProxyConnection {
    private final Socket client;
    private final Socket target;
    private final ProxyPump upstream;
    private final ProxyPump downstream;
    private final Consumer<ProxyConnection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger finishedDirections = new AtomicInteger();

    ProxyConnection(Socket client, Socket target, ProxyDirection up, ProxyDirection down,
                    Consumer<ProxyConnection> onClosed) {
        this.client = client;
        this.target = target;
        this.upstream = new ProxyPump(client, target, up, this);
        this.downstream = new ProxyPump(target, client, down, this);
        this.onClosed = onClosed;
    }

    void start(String name) {
        try {
            // Small writes (an HTTP answer, a Raft heartbeat) go out at once, as they would without the proxy.
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
        } catch (IOException e) {
            reset();
            return;
        }
        upstream.start(name + "-up");
        downstream.start(name + "-down");
    }

    /** Whether the pump of {@code direction} dropped bytes into a blackhole. */
    boolean lostBytes(ProxyDirection direction) {
        return (upstream.direction() == direction ? upstream : downstream).lostBytes();
    }

    /** Closes both sockets with RST and stops both pumps; safe to call more than once. */
    void reset() {
        if (closed.compareAndSet(false, true)) {
            reset(client);
            reset(target);
            upstream.stop();
            downstream.stop();
            onClosed.accept(this);
        }
    }

    /** A pump delivered the end of its stream (FIN); when both have, the connection is done. */
    void directionFinished() {
        if (finishedDirections.incrementAndGet() == 2 && closed.compareAndSet(false, true)) {
            closeQuietly(client);
            closeQuietly(target);
            onClosed.accept(this);
        }
    }

    /** Closes a socket abortively: the peer gets RST, not FIN. */
    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed, or never connected: closing is all that is left
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }
}

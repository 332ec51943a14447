package io.eventlog.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test nodes, drawn below Linux's ephemeral range (32768-60999). A port from that range,
 * free when picked, may be taken before the node binds it as the source port of one of the many
 * outgoing connections a cluster, its proxies and its clients make; below the range only a listener
 * can take it.
 */
public final class FreePorts {
    private static final int FIRST = 10_000;
    private static final int LAST = 26_999;
    private static final int ATTEMPTS = 1000;

    private FreePorts() {
    }

    /** A listening socket on loopback at a free port of the range: the port is held until it is closed. */
    public static ServerSocket reserve() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
            try {
                return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                // another listener has it: draw again
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + FIRST + "-" + LAST));
    }

    /** A port of the range free right now. */
    public static int pick() {
        try (ServerSocket socket = reserve()) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

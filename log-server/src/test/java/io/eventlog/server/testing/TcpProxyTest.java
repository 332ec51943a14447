package io.eventlog.server.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each mode of {@link TcpProxy}, per direction, against an echo server. */
class TcpProxyTest {
    private static final Duration DELAY = Duration.ofMillis(300);

    /** Which direction a test switches. */
    enum Side {
        UPSTREAM(TcpProxy::upstream), DOWNSTREAM(TcpProxy::downstream);

        final BiConsumer<TcpProxy, Mode> set;

        Side(BiConsumer<TcpProxy, Mode> set) {
            this.set = set;
        }
    }

    private final EchoServer echo = new EchoServer();
    private final TcpProxy proxy = TcpProxy.start(echo.address());

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passForwardsBothWaysAndTheClientsCloseReachesTheTarget() throws Exception {
        try (Socket client = connect()) {
            send(client, "hello");
            assertEquals("hello", receive(client, 5));
            assertEquals(1, proxy.openConnections());
        }
        await(() -> proxy.openConnections() == 0 && echo.open.get() == 0, "the close to reach the echo server");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void delayHoldsTheBytesForTheDurationInOrder(Side side) throws Exception {
        side.set.accept(proxy, Mode.delay(DELAY));
        try (Socket client = connect()) {
            long start = System.nanoTime();
            for (String part : new String[] {"a", "b", "c"}) {
                send(client, part);
            }
            assertEquals("abc", receive(client, 3));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(DELAY) >= 0, "arrived before the delay");
        }
    }

    @Test
    void bytesDelayedBeforeASwitchToPassStillComeFirst() throws Exception {
        proxy.upstream(Mode.delay(DELAY));
        try (Socket client = connect()) {
            send(client, "1");
            proxy.upstream(Mode.PASS);
            send(client, "2");
            assertEquals("12", receive(client, 2));
        }
    }

    @Test
    void upstreamBlackholeDropsWhatTheClientSendsAndKeepsTheConnectionOpen() throws Exception {
        proxy.upstream(Mode.BLACKHOLE);
        try (Socket client = connect()) {
            send(client, "lost");
            assertSilent(client);
            assertEquals(0, echo.received.get(), "the target heard the client");
            assertEquals(1, proxy.openConnections());
        }
    }

    @Test
    void downstreamBlackholeDropsWhatTheTargetAnswers() throws Exception {
        proxy.downstream(Mode.BLACKHOLE);
        try (Socket client = connect()) {
            send(client, "heard");
            await(() -> echo.received.get() == 5, "the target to receive the bytes");
            assertSilent(client);
            assertEquals(1, proxy.openConnections());
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void healResetsConnectionsThatLostBytesAndNewConnectionsFlow(Side side) throws Exception {
        side.set.accept(proxy, Mode.BLACKHOLE);
        try (Socket holed = connect(); Socket untouched = connect()) {
            send(holed, "dropped");
            assertSilent(holed);
            proxy.heal();
            assertClosed(holed);
            // A connection that lost nothing has an intact stream: it stays and flows.
            send(untouched, "intact");
            assertEquals("intact", receive(untouched, 6));
        }
        assertEchoes();
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void cutClosesOpenConnectionsAndNewOnesAtOnceUntilHealed(Side side) throws Exception {
        try (Socket before = connect()) {
            send(before, "x");
            assertEquals("x", receive(before, 1));
            side.set.accept(proxy, Mode.CUT);
            assertClosed(before);
        }
        assertConnectionRefusedOrClosed(proxy);
        await(() -> proxy.openConnections() == 0, "no connection left open");
        proxy.heal();
        assertEchoes();
    }

    @Test
    void aTargetThatIsDownResetsTheClient() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), gone.getLocalPort());
        }
        try (TcpProxy toNowhere = TcpProxy.start(closedPort)) {
            assertConnectionRefusedOrClosed(toNowhere);
        }
    }

    @Test
    void onlyLoopbackTargets() {
        assertThrows(IllegalArgumentException.class, () -> TcpProxy.start(new InetSocketAddress("192.0.2.1", 80)));
        assertThrows(IllegalArgumentException.class,
                () -> TcpProxy.start(InetSocketAddress.createUnresolved("example.invalid", 80)));
    }

    private void assertEchoes() throws IOException {
        try (Socket after = connect()) {
            send(after, "again");
            assertEquals("again", receive(after, 5));
        }
    }

    /** Accepted then reset at once: the RST may even overtake the end of the client's connect. */
    private static void assertConnectionRefusedOrClosed(TcpProxy to) throws IOException {
        Socket socket;
        try {
            socket = connect(to);
        } catch (SocketException reset) {
            return;
        }
        try (socket) {
            assertClosed(socket);
        }
    }

    private Socket connect() throws IOException {
        return connect(proxy);
    }

    private static Socket connect(TcpProxy to) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), to.port()), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String receive(Socket socket, int bytes) throws IOException {
        byte[] buffer = socket.getInputStream().readNBytes(bytes);
        assertEquals(bytes, buffer.length, "the stream ended early");
        return new String(buffer, StandardCharsets.US_ASCII);
    }

    /** Nothing arrives, and the connection is not closed either. */
    private static void assertSilent(Socket socket) throws IOException {
        socket.setSoTimeout(400);
        try {
            int read = socket.getInputStream().read();
            fail("expected silence, got " + (read < 0 ? "the end of the stream" : "a byte"));
        } catch (SocketTimeoutException expected) {
            socket.setSoTimeout(5_000);
        }
    }

    /** The connection ends (FIN or RST) promptly. */
    private static void assertClosed(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        try {
            assertEquals(-1, socket.getInputStream().read(), "the connection still delivers bytes");
        } catch (SocketTimeoutException e) {
            fail("the connection is still open");
        } catch (SocketException expected) {
            // reset
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Echoes every byte back on the same connection; counts what it received and its open connections. */
    static final class EchoServer implements AutoCloseable {
        final AtomicLong received = new AtomicLong();
        final AtomicLong open = new AtomicLong();
        private final ServerSocket server;

        EchoServer() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread acceptor = new Thread(this::accept, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void accept() {
            while (true) {
                try {
                    Socket socket = server.accept();
                    open.incrementAndGet();
                    Thread echo = new Thread(() -> echo(socket), "echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[4096];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    received.addAndGet(n);
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the peer reset the connection
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

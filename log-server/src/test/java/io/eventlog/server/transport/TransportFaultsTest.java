package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A link's faults stay on that link: garbage, a peer that is down, a peer that stops reading. */
class TransportFaultsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final TransportConfig FAST_RECONNECT = TransportConfig.builder()
            .reconnectDelays(Duration.ofMillis(10), Duration.ofMillis(200)).build();

    @Test
    void garbageOnOneConnectionClosesItAndTheOtherLinksKeepWorking() throws Exception {
        TestNode[] nodes = TestNode.cluster(3, TransportConfig.defaults());
        try {
            TestNode target = nodes[0];
            try (Socket http = connect(target); Socket oversize = connect(target)) {
                http.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] hello = ByteBufUtil.getBytes(FrameCodec.hello(ByteBufAllocator.DEFAULT, 9, "x"));
                oversize.getOutputStream().write(hello);
                oversize.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                assertClosedByPeer(http);
                assertClosedByPeer(oversize);
            }
            for (TestNode from : nodes) {
                for (TestNode to : nodes) {
                    if (from != to) {
                        assertTrue(from.transport.isConnected(to.id), from.id + " -> " + to.id + " still up");
                        assertEquals(0, from.unreachableReports(to.id), from.id + " -> " + to.id);
                        for (int seq = 0; seq < 200; seq++) {
                            from.transport.send(TestMessages.message(from.id, to.id, seq));
                        }
                    }
                }
            }
            for (TestNode to : nodes) {
                for (TestNode from : nodes) {
                    if (from != to) {
                        Await.until("200 messages " + from.id + " -> " + to.id,
                                () -> to.receivedFrom(from.id).size() >= 200);
                        TestMessages.assertInOrder(from.id, to.id, 200, to.receivedFrom(from.id));
                    }
                }
            }
        } finally {
            for (TestNode node : nodes) {
                node.close();
            }
        }
    }

    @Test
    void aPeerThatIsDownIsReportedAndMessagesFlowOnceItIsUp() {
        int port = freePort();
        try (TestNode a = TestNode.start(1, FAST_RECONNECT, 0, Map.of(2L, new InetSocketAddress(LOOPBACK, port)))) {
            Await.until("node 2 reported unreachable while down", () -> a.unreachableReports(2) > 0);
            a.transport.send(TestMessages.heartbeat(1, 2, 0));

            TestNode b = TestNode.start(2, FAST_RECONNECT, port, Map.of(1L, a.address()));
            sendAndReceive(a, b, 1000);
            int reportsWhileUp = a.unreachableReports(2);
            b.close();

            Await.until("node 2 reported unreachable after it went down", () -> a.unreachableReports(2) > reportsWhileUp);
            try (TestNode restarted = TestNode.start(2, FAST_RECONNECT, port, Map.of(1L, a.address()))) {
                sendAndReceive(a, restarted, 1000);
                sendAndReceive(restarted, a, 1000);
            }
        }
    }

    /**
     * A peer accepts the connection but never reads: the sender's queue fills to its bound, later
     * messages to that peer are dropped and reported, sends never block, and the other link is
     * unaffected. Once the peer reads again, the link carries messages again.
     */
    @Test
    void aPeerThatStopsReadingCostsBoundedMemoryAndNoBlocking() throws Exception {
        long bound = 1 << 20;
        TransportConfig config = TransportConfig.builder().maxQueuedBytesPerPeer(bound).build();
        try (ServerSocket silent = new ServerSocket();
             TestNode healthy = TestNode.start(3, config, 0, Map.of())) {
            silent.setReceiveBufferSize(16 * 1024);
            silent.bind(new InetSocketAddress(LOOPBACK, 0));
            try (TestNode a = TestNode.start(1, config, 0, Map.of(
                    2L, new InetSocketAddress(LOOPBACK, silent.getLocalPort()), 3L, healthy.address()));
                 Socket paused = silent.accept()) {
                Await.until("links up", () -> a.transport.isConnected(2) && a.transport.isConnected(3));

                long maxQueued = 0;
                long slowestSendNanos = 0;
                int sends = 400;
                for (int i = 0; i < sends; i++) {
                    long start = System.nanoTime();
                    a.transport.send(TestMessages.appendRequest(1, 2, i, 1, 64 * 1024));
                    a.transport.send(TestMessages.message(1, 3, i));
                    slowestSendNanos = Math.max(slowestSendNanos, System.nanoTime() - start);
                    maxQueued = Math.max(maxQueued, a.transport.queuedBytes(2));
                }
                assertTrue(maxQueued <= bound, "queued " + maxQueued + " bytes, bound " + bound);
                assertTrue(a.unreachableReports(2) > 0, "a full queue reports the peer unreachable");
                assertTrue(slowestSendNanos < TimeUnit.SECONDS.toNanos(1), "a send took " + slowestSendNanos + " ns");
                assertTrue(a.transport.isConnected(2), "a slow peer keeps its connection");
                Await.until(sends + " messages on the healthy link", () -> healthy.receivedFrom(1).size() >= sends);
                TestMessages.assertInOrder(1, 3, sends, healthy.receivedFrom(1));

                List<Object> frames = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readFrames(paused, frames));
                Await.until("the queue drains once the peer reads", () -> a.transport.queuedBytes(2) == 0);
                Message marker = TestMessages.heartbeat(1, 2, 123_456);
                a.transport.send(marker);
                Await.until("the marker arrives", () -> frames.stream().anyMatch(f -> f instanceof InboundFrame.RaftMessages r
                        && r.messages().contains(marker)));
                assertEquals(new InboundFrame.Hello(1, TestNode.httpAddress(1)), frames.get(0));
                paused.close();
                reader.handle((ok, closed) -> null).get(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void sendAndReceive(TestNode from, TestNode to, int count) {
        Await.until("link " + from.id + " -> " + to.id, () -> from.transport.isConnected(to.id));
        to.receivedFrom(from.id).clear();
        for (int seq = 0; seq < count; seq++) {
            from.transport.send(TestMessages.message(from.id, to.id, seq));
        }
        Await.until(count + " messages " + from.id + " -> " + to.id, () -> to.receivedFrom(from.id).size() >= count);
        TestMessages.assertInOrder(from.id, to.id, count, to.receivedFrom(from.id));
    }

    /** Reads frames off a raw socket as a peer would, until it is closed. */
    private static void readFrames(Socket socket, List<Object> frames) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                frames.add(FrameCodec.decode(Unpooled.wrappedBuffer(frame)));
            }
        } catch (IOException closed) {
            // the test is done with the socket
        }
    }

    private static Socket connect(TestNode node) throws IOException {
        Socket socket = new Socket(LOOPBACK, node.address().getPort());
        socket.setSoTimeout((int) Await.DEFAULT.toMillis());
        return socket;
    }

    /** The peer closed: an orderly end of stream, or a reset if it closed with our bytes unread. */
    private static void assertClosedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketException reset) {
            assertInstanceOf(SocketException.class, reset);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Membership changes, closing, and what a closed transport leaves behind (nothing). */
class TransportLifecycleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void closeReleasesThePortsAndEveryThread() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        TestNode[] nodes = TestNode.cluster(3, TransportConfig.defaults());
        // a peer that is down, so that a reconnect is pending when we close
        nodes[0].transport.updatePeers(Map.of(2L, nodes[1].address(), 3L, nodes[2].address(),
                4L, new InetSocketAddress(LOOPBACK, 1)));
        nodes[0].transport.send(TestMessages.heartbeat(1, 2, 7));
        Await.until("a message", () -> nodes[1].receivedFrom(1).size() == 1);
        Await.until("node 4 reported unreachable", () -> nodes[0].unreachableReports(4) > 0);
        int[] ports = Arrays.stream(nodes).mapToInt(node -> node.address().getPort()).toArray();

        for (TestNode node : nodes) {
            node.close();
        }

        for (int port : ports) {
            try (ServerSocket rebound = new ServerSocket(port, 1, LOOPBACK)) {
                assertEquals(port, rebound.getLocalPort());
            }
        }
        Await.until("the transports' threads end", () -> newThreads(before).isEmpty(), () -> newThreads(before).toString());
    }

    @Test
    void aClosedTransportDropsSendsSilently() {
        TestNode node = TestNode.start(1, TransportConfig.defaults(), 0, Map.of(2L, new InetSocketAddress(LOOPBACK, 1)));
        node.close();
        int reports = node.unreachableReports(2);
        node.transport.send(TestMessages.heartbeat(1, 2, 1));
        assertFalse(node.transport.sendApp(2, new byte[1]), "nothing is queued without a live link");
        node.close();
        assertEquals(reports, node.unreachableReports(2));
    }

    @Test
    void peersAreAddedMovedAndRemoved() {
        TransportConfig config = TransportConfig.builder()
                .reconnectDelays(Duration.ofMillis(10), Duration.ofMillis(200)).build();
        TestNode[] nodes = TestNode.cluster(2, config);
        TestNode one = nodes[0];
        TestNode two = nodes[1];
        try {
            try (TestNode three = TestNode.start(3, config, 0, Map.of(1L, one.address()))) {
                one.transport.updatePeers(Map.of(2L, two.address(), 3L, three.address()));
                Await.until("link 1 -> 3", () -> one.transport.isConnected(3));
                assertTrue(one.transport.sendApp(3, new byte[1]), "queued on the live link");
                one.transport.send(TestMessages.heartbeat(1, 3, 1));
                Await.until("a message to the new peer", () -> three.receivedFrom(1).size() == 1);
                Await.until("node 3's HELLO", () -> TestNode.httpAddress(3).equals(one.transport.advertisedHttpAddress(3)));
            }
            try (TestNode movedThree = TestNode.start(3, config, 0, Map.of())) {
                one.transport.updatePeers(Map.of(2L, two.address(), 3L, movedThree.address()));
                Await.until("link 1 -> 3 at its new address", () -> one.transport.isConnected(3));
                one.transport.send(TestMessages.heartbeat(1, 3, 2));
                Await.until("a message at the new address", () -> movedThree.receivedFrom(1).size() == 1);

                one.transport.updatePeers(Map.of(1L, one.address(), 2L, two.address()));
                assertFalse(one.transport.isConnected(3));
                assertNull(one.transport.advertisedHttpAddress(3));
                one.transport.send(TestMessages.heartbeat(1, 3, 3));
                Await.until("a removed peer is reported unreachable", () -> one.unreachableReports(3) > 0);
                assertTrue(one.transport.isConnected(2), "the other link stays");
                assertEquals(1, movedThree.receivedFrom(1).size(), "nothing reaches a removed peer");
            }
        } finally {
            one.close();
            two.close();
        }
    }

    @Test
    void sendingWhatNoPeerWouldAcceptIsRefused() {
        TransportConfig config = TransportConfig.builder().maxFrameLength(TransportConfig.MIN_FRAME_LENGTH).build();
        try (TestNode node = TestNode.start(1, config, 0, Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> node.transport.send(TestMessages.heartbeat(2, 3, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> node.transport.send(TestMessages.appendRequest(1, 2, 0, 1, TransportConfig.MIN_FRAME_LENGTH)));
            assertThrows(IllegalArgumentException.class,
                    () -> node.transport.sendApp(2, new byte[TransportConfig.MIN_FRAME_LENGTH]));
        }
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}

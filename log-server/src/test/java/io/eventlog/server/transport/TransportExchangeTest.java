package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real transports on 127.0.0.1: every link delivers everything, in order, while all nodes send at once. */
class TransportExchangeTest {

    @Test
    void twoNodesExchangeThousandsOfMessagesInOrder() throws Exception {
        exchange(2, 5000);
    }

    @Test
    void threeNodesExchangeThousandsOfMessagesInOrderOnEveryLink() throws Exception {
        exchange(3, 3000);
    }

    private static void exchange(int n, int perLink) throws Exception {
        TestNode[] nodes = TestNode.cluster(n, TransportConfig.defaults());
        try {
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (TestNode node : nodes) {
                senders.add(CompletableFuture.runAsync(() -> sendAll(node, nodes, perLink)));
            }
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            for (TestNode to : nodes) {
                for (TestNode from : nodes) {
                    if (from != to) {
                        Await.until(perLink + " messages " + from.id + " -> " + to.id,
                                () -> to.receivedFrom(from.id).size() >= perLink,
                                () -> "got " + to.receivedFrom(from.id).size());
                        TestMessages.assertInOrder(from.id, to.id, perLink, to.receivedFrom(from.id));
                        Await.until("APP data " + from.id + " -> " + to.id,
                                () -> to.appFrom(from.id).size() >= perLink / 100);
                        assertEquals(appPayloads(perLink), to.appFrom(from.id).stream()
                                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList());
                        assertEquals(TestNode.httpAddress(from.id), to.transport.advertisedHttpAddress(from.id));
                    }
                }
            }
        } finally {
            for (TestNode node : nodes) {
                node.close();
            }
        }
    }

    /** What one sending thread does, as a Raft thread would: interleave its peers, never wait. */
    private static void sendAll(TestNode node, TestNode[] nodes, int perLink) {
        for (int seq = 0; seq < perLink; seq++) {
            for (TestNode peer : nodes) {
                if (peer != node) {
                    node.transport.send(TestMessages.message(node.id, peer.id, seq));
                    if (seq % 100 == 0) {
                        node.transport.sendApp(peer.id, ("app " + seq).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private static List<String> appPayloads(int perLink) {
        List<String> payloads = new ArrayList<>();
        for (int seq = 0; seq < perLink; seq += 100) {
            payloads.add("app " + seq);
        }
        return payloads;
    }
}

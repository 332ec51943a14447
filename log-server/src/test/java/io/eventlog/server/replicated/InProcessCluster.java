package io.eventlog.server.replicated;

import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** Cluster members as embedded nodes in this JVM, talking over loopback TCP, for tests. */
final class InProcessCluster implements AutoCloseable {
    private final Path root;
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private final EventLogNode[] nodes;

    InProcessCluster(Path root, int size) {
        this.root = root;
        this.nodes = new EventLogNode[size + 1];
        for (long id = 1; id <= size; id++) {
            peers.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
        for (int id = 1; id <= size; id++) {
            start(id);
        }
    }

    EventLogNode start(int id) {
        ReplicationConfig replication = ReplicationConfig.of(id, peers, "127.0.0.1:" + (17000 + id))
                .withTick(Duration.ofMillis(50)).withAppendTimeout(Duration.ofSeconds(5));
        nodes[id] = EventLogNode.open(NodeConfig.defaults(root.resolve("n" + id)).withReplication(replication));
        return nodes[id];
    }

    void stop(int id) {
        nodes[id].close();
        nodes[id] = null;
    }

    EventLogNode node(int id) {
        return nodes[id];
    }

    /** The id of the leader all running members agree on, waiting up to 15 s for one. */
    int awaitLeader() {
        int[] leader = {0};
        await("a leader all running members agree on", () -> {
            String seen = null;
            for (int id = 1; id < nodes.length; id++) {
                if (nodes[id] == null) {
                    continue;
                }
                String known = nodes[id].clusterView().leader();
                if (known == null || (seen != null && !seen.equals(known))) {
                    return false;
                }
                seen = known;
            }
            leader[0] = Integer.parseInt(seen);
            return nodes[leader[0]] != null;
        });
        return leader[0];
    }

    int aFollower(int leader) {
        for (int id = 1; id < nodes.length; id++) {
            if (id != leader && nodes[id] != null) {
                return id;
            }
        }
        throw new IllegalStateException("no running follower");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int id = 1; id < nodes.length; id++) {
            if (nodes[id] != null) {
                nodes[id].close();
            }
        }
    }
}

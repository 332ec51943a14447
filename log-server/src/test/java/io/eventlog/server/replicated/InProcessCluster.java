package io.eventlog.server.replicated;

import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.cluster.NotLeaderException;
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
import java.util.function.Function;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/** Cluster members as embedded nodes in this JVM, talking over loopback TCP, for tests. */
final class InProcessCluster implements AutoCloseable {
    private final Path root;
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private final Map<Long, InetSocketAddress> bootstrapPeers;
    private final EventLogNode[] nodes;
    private final UnaryOperator<NodeConfig> tune;

    /**
     * Starts {@code size} members of a new cluster; room is left for {@code spare} more to join later.
     * {@code tune} adjusts every member's configuration.
     */
    InProcessCluster(Path root, int size, int spare, UnaryOperator<NodeConfig> tune) {
        this.root = root;
        this.tune = tune;
        this.nodes = new EventLogNode[size + spare + 1];
        for (long id = 1; id <= size + spare; id++) {
            peers.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
        this.bootstrapPeers = new TreeMap<>(peers);
        bootstrapPeers.keySet().removeIf(id -> id > size);
        for (int id = 1; id <= size; id++) {
            start(id);
        }
    }

    InProcessCluster(Path root, int size, int spare) {
        this(root, size, spare, UnaryOperator.identity());
    }

    InProcessCluster(Path root, int size) {
        this(root, size, 0);
    }

    /** Starts (or restarts) a member of the cluster as bootstrapped. */
    EventLogNode start(int id) {
        return open(id, bootstrapPeers.containsKey((long) id) ? bootstrapPeers : peers, false);
    }

    /** Starts a spare node that waits to be added by the leader; it knows every member's address. */
    EventLogNode startJoining(int id) {
        return open(id, peers, true);
    }

    InetSocketAddress peerAddress(int id) {
        return peers.get((long) id);
    }

    private EventLogNode open(int id, Map<Long, InetSocketAddress> known, boolean join) {
        ReplicationConfig replication = ReplicationConfig.of(id, known, "127.0.0.1:" + (17000 + id))
                .withTick(Duration.ofMillis(100)).withAppendTimeout(Duration.ofSeconds(5)).withJoin(join);
        nodes[id] = EventLogNode.open(tune.apply(NodeConfig.defaults(dataDir(id)).withReplication(replication)));
        return nodes[id];
    }

    Path dataDir(int id) {
        return root.resolve("n" + id);
    }

    void stop(int id) {
        nodes[id].close();
        nodes[id] = null;
    }

    EventLogNode node(int id) {
        return nodes[id];
    }

    /**
     * The id of the leader all running members agree on (a node waiting to join is not a member yet),
     * waiting up to 15 s for one.
     */
    int awaitLeader() {
        int[] leader = {0};
        await("a leader all running members agree on", () -> {
            String seen = null;
            for (int id = 1; id < nodes.length; id++) {
                if (nodes[id] == null || nodes[id].clusterView().members().isEmpty()) {
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

    /**
     * Runs an admin change on the leader, following the leader when it moves meanwhile (as a client
     * following a 307 would), for up to 15 s.
     */
    ClusterView onLeader(Function<ClusterAdmin, Mono<ClusterView>> change) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return change.apply(nodes[awaitLeader()].clusterAdmin()).block(Duration.ofSeconds(10));
            } catch (NotLeaderException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
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

package io.eventlog.server.replicated;

import io.eventlog.server.EventLogServer;
import io.eventlog.server.binary.BinaryConfig;
import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.cluster.NotLeaderException;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.testing.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * Cluster members as embedded nodes in this JVM, talking over loopback TCP, for tests; optionally
 * each with its HTTP API ({@link #withHttp}).
 */
final class InProcessCluster implements AutoCloseable {
    private final Path root;
    private final Map<Long, InetSocketAddress> peers = new TreeMap<>();
    private final Map<Long, InetSocketAddress> bootstrapPeers;
    private final EventLogNode[] nodes;
    /** HTTP port per member, chosen once so a restarted member keeps its address; empty without HTTP. */
    private final Map<Long, Integer> httpPorts = new TreeMap<>();
    /** Binary-protocol port per member, served next to HTTP. */
    private final Map<Long, Integer> binaryPorts = new TreeMap<>();
    private final EventLogServer[] servers;
    /** Adjusts every member's configuration (members without HTTP). */
    private final UnaryOperator<NodeConfig> tune;

    /**
     * Starts {@code size} members of a new cluster; room is left for {@code spare} more to join later.
     * {@code tune} adjusts every member's configuration.
     */
    InProcessCluster(Path root, int size, int spare, UnaryOperator<NodeConfig> tune) {
        this(root, size, spare, tune, false);
    }

    private InProcessCluster(Path root, int size, int spare, UnaryOperator<NodeConfig> tune, boolean http) {
        this.root = root;
        this.tune = tune;
        this.nodes = new EventLogNode[size + spare + 1];
        this.servers = new EventLogServer[size + spare + 1];
        for (long id = 1; id <= size + spare; id++) {
            peers.put(id, new InetSocketAddress("127.0.0.1", freePort()));
            if (http) {
                httpPorts.put(id, freePort());
                binaryPorts.put(id, freePort());
            }
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

    /**
     * {@code size} members, each serving the HTTP API and the binary protocol on 127.0.0.1 (see
     * {@link #httpAddress}, {@link #binaryAddress}).
     */
    static InProcessCluster withHttp(Path root, int size) {
        return new InProcessCluster(root, size, 0, UnaryOperator.identity(), true);
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

    /** The member's HTTP API address, host:port (without HTTP: the address it advertises, where nothing listens). */
    String httpAddress(int id) {
        return "127.0.0.1:" + httpPorts.getOrDefault((long) id, 17000 + id);
    }

    /** The member's binary-protocol address, host:port (with HTTP only). */
    String binaryAddress(int id) {
        return "127.0.0.1:" + binaryPorts.get((long) id);
    }

    private EventLogNode open(int id, Map<Long, InetSocketAddress> known, boolean join) {
        ReplicationConfig replication = ReplicationConfig.of(id, known, httpAddress(id))
                .withTick(Duration.ofMillis(100)).withAppendTimeout(Duration.ofSeconds(5)).withJoin(join);
        if (httpPorts.isEmpty()) {
            nodes[id] = EventLogNode.open(tune.apply(NodeConfig.defaults(dataDir(id)).withReplication(replication)));
        } else {
            servers[id] = EventLogServer.start(EventLogServer.Options.defaults(dataDir(id)).withReplication(replication)
                    .withHost("127.0.0.1").withPort(httpPorts.get((long) id))
                    .withBinary(BinaryConfig.of("127.0.0.1", binaryPorts.get((long) id), 1 << 20, 10_000)));
            nodes[id] = servers[id].node();
        }
        return nodes[id];
    }

    Path dataDir(int id) {
        return root.resolve("n" + id);
    }

    /** Stops a member (with HTTP: its API first, which ends its subscriptions and connections). */
    void stop(int id) {
        if (servers[id] != null) {
            servers[id].close();
            servers[id] = null;
        } else {
            nodes[id].close();
        }
        nodes[id] = null;
    }

    /** The member's server, when the cluster serves HTTP and the member runs; else null. */
    EventLogServer server(int id) {
        return servers[id];
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
        return FreePorts.pick();
    }

    @Override
    public void close() {
        for (int id = 1; id < nodes.length; id++) {
            if (nodes[id] != null) {
                stop(id);
            }
        }
    }
}

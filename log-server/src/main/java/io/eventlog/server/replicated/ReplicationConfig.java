package io.eventlog.server.replicated;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a node takes part in a Raft cluster.
 *
 * @param nodeId        this node's id (positive)
 * @param peers         every member's node-to-node address, this node's own included (it binds there)
 * @param join          start with no membership and wait to be added by the cluster's leader, instead
 *                      of bootstrapping a new cluster whose voters are {@code peers}
 * @param httpAddress   host:port of this node's HTTP API, told to the peers so that they can point
 *                      clients at the leader
 * @param tick          the Raft clock's tick; elections time out after 10 to 20 ticks, the leader
 *                      sends heartbeats every tick
 * @param appendTimeout how long an append may wait for a leader and a commit before it fails with
 *                      504 {@code timeout} (its outcome then unknown)
 */
public record ReplicationConfig(long nodeId, Map<Long, InetSocketAddress> peers, boolean join, String httpAddress,
                                Duration tick, Duration appendTimeout) {

    /** Election timeout in ticks; with the default 100 ms tick a leader is replaced 1 to 2 s after it stops. */
    public static final int ELECTION_TICKS = 10;

    public ReplicationConfig {
        Objects.requireNonNull(httpAddress, "httpAddress");
        peers = Map.copyOf(peers);
        if (nodeId <= 0) {
            throw new IllegalArgumentException("a node id is a positive integer, was " + nodeId);
        }
        if (!peers.containsKey(nodeId)) {
            throw new IllegalArgumentException("the peers " + new TreeMap<>(peers).keySet() + " do not include this node ("
                    + nodeId + "): it needs its own peer address to listen on");
        }
        if (tick.isNegative() || tick.isZero() || appendTimeout.isNegative() || appendTimeout.isZero()) {
            throw new IllegalArgumentException("tick and appendTimeout must be positive");
        }
    }

    /** A member of a new or existing cluster with a 100 ms tick and a 5 s append timeout. */
    public static ReplicationConfig of(long nodeId, Map<Long, InetSocketAddress> peers, String httpAddress) {
        return new ReplicationConfig(nodeId, peers, false, httpAddress, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public ReplicationConfig withJoin(boolean value) {
        return new ReplicationConfig(nodeId, peers, value, httpAddress, tick, appendTimeout);
    }

    public ReplicationConfig withTick(Duration value) {
        return new ReplicationConfig(nodeId, peers, join, httpAddress, value, appendTimeout);
    }

    public ReplicationConfig withAppendTimeout(Duration value) {
        return new ReplicationConfig(nodeId, peers, join, httpAddress, tick, value);
    }

    public InetSocketAddress selfAddress() {
        return peers.get(nodeId);
    }

    /**
     * Parses {@code 1=127.0.0.1:7171,2=127.0.0.1:7172}: node ids and their node-to-node addresses.
     * Throws {@link IllegalArgumentException} with the offending part on bad input.
     */
    public static Map<Long, InetSocketAddress> parsePeers(String spec) {
        Map<Long, InetSocketAddress> peers = new TreeMap<>();
        for (String part : spec.split(",")) {
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            int colon = trimmed.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("a peer is id=host:port, got '" + trimmed + "'");
            }
            long id;
            int port;
            try {
                id = Long.parseLong(trimmed.substring(0, eq));
                port = Integer.parseInt(trimmed.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a peer is id=host:port with numbers for id and port, got '"
                        + trimmed + "'");
            }
            if (id <= 0 || port <= 0 || port > 65535) {
                throw new IllegalArgumentException("peer '" + trimmed + "': the id must be positive and the port 1-65535");
            }
            if (peers.put(id, new InetSocketAddress(trimmed.substring(eq + 1, colon), port)) != null) {
                throw new IllegalArgumentException("peer id " + id + " is listed twice");
            }
        }
        return peers;
    }
}

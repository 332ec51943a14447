package io.eventlog.client.cluster;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.client.transport.ClusterInfo;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The nodes the client knows: the seeds it was given, plus the members that {@code /v1/cluster}
 * answers name. One {@link Node} per address, made on first sight.
 */
public final class NodeDirectory implements AutoCloseable {
    private final Transport transport;
    private final Duration downTime;
    private final Map<NodeAddress, Node> byAddress = new ConcurrentHashMap<>();
    private final List<Node> inOrder = new CopyOnWriteArrayList<>();

    /** @param downTime how long a node that failed is skipped */
    public NodeDirectory(Transport transport, List<NodeAddress> seeds, Duration downTime) {
        if (seeds.isEmpty()) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "the client needs at least one node address");
        }
        this.transport = transport;
        this.downTime = downTime;
        seeds.forEach(this::node);
    }

    /** The node at this address, known from now on. */
    public Node node(NodeAddress address) {
        return byAddress.computeIfAbsent(address, known -> {
            Node node = new Node(transport.connect(known));
            inOrder.add(node);
            return node;
        });
    }

    /** Adds the members a node told about. */
    public void learn(ClusterInfo info) {
        info.members().values().forEach(this::node);
    }

    public List<Node> all() {
        return List.copyOf(inOrder);
    }

    /** The nodes not marked down; every node when all are down (one of them may be back). */
    public List<Node> up() {
        List<Node> up = new ArrayList<>(inOrder.size());
        for (Node node : inOrder) {
            if (node.isUp()) {
                up.add(node);
            }
        }
        return up.isEmpty() ? all() : up;
    }

    public void markDown(Node node) {
        node.markDown(downTime);
    }

    @Override
    public void close() {
        inOrder.forEach(node -> node.connection().close());
    }
}

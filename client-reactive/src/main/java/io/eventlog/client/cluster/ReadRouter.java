package io.eventlog.client.cluster;

import io.eventlog.client.balance.ReadBalancer;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the node for a read or a subscription: a node that is up, chosen by the balancing
 * strategy, leaving out the known leader when reads should spare it (unless it is the only node up).
 */
public final class ReadRouter {
    private final NodeDirectory nodes;
    private final LeaderTracker leaders;
    private final ReadBalancer balancer;
    private final boolean readsFromLeader;

    public ReadRouter(NodeDirectory nodes, LeaderTracker leaders, ReadBalancer balancer, boolean readsFromLeader) {
        this.nodes = nodes;
        this.leaders = leaders;
        this.balancer = balancer;
        this.readsFromLeader = readsFromLeader;
    }

    public Node choose() {
        List<Node> candidates = nodes.up();
        Node leader = leaders.known();
        if (!readsFromLeader && leader != null && candidates.size() > 1) {
            candidates = new ArrayList<>(candidates);
            candidates.remove(leader);
        }
        return balancer.choose(candidates);
    }

    public void failed(Node node) {
        nodes.markDown(node);
    }
}

package io.eventlog.client.cluster;

import io.eventlog.api.EventLogException;
import io.eventlog.client.balance.ReadBalancer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

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

    /** The node for the next read; when reads spare the leader and it is not known yet, it is found out first. */
    public Mono<Node> choose() {
        Mono<Node> pick = Mono.fromCallable(this::pick);
        if (readsFromLeader || leaders.known() != null) {
            return pick;
        }
        return leaders.leader().onErrorResume(EventLogException.class, unknown -> Mono.empty()).then(pick);
    }

    private Node pick() {
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

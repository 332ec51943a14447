package io.eventlog.client.cluster;

import io.eventlog.client.transport.ClusterInfo;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeUnreachableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which node leads, as far as the client knows. Learnt from {@code /v1/cluster} (every node that is
 * up is asked at once; the first to name a leader wins) or from a 307's {@code Location}, and kept
 * until a request to it fails. While no node names a leader, a node that is up stands in: a
 * follower forwards an append, or answers 503 {@code no_leader} during an election.
 */
public final class LeaderTracker {
    private final NodeDirectory nodes;
    private final Duration timeout;
    private final AtomicReference<Node> leader = new AtomicReference<>();

    /** @param timeout longest wait for a node's {@code /v1/cluster} answer */
    public LeaderTracker(NodeDirectory nodes, Duration timeout) {
        this.nodes = nodes;
        this.timeout = timeout;
    }

    /** The leader, found out first when it is not known. */
    public Mono<Node> leader() {
        return Mono.defer(() -> {
            Node known = leader.get();
            return known != null && known.isUp() ? Mono.just(known) : discover();
        });
    }

    /** The leader known right now, or null; never asks. */
    public Node known() {
        return leader.get();
    }

    /** A node answered 307 pointing here. */
    public void redirectedTo(NodeAddress address) {
        leader.set(nodes.node(address));
    }

    /** A request to this node failed in a way that says it may no longer lead. */
    public void forget(Node node) {
        leader.compareAndSet(node, null);
    }

    private Mono<Node> discover() {
        return Flux.fromIterable(nodes.up())
                .flatMap(node -> node.connection().cluster(timeout)
                        .doOnNext(nodes::learn)
                        .mapNotNull(info -> leaderNamedBy(node, info))
                        .onErrorResume(failure -> {
                            if (failure instanceof NodeUnreachableException) {
                                nodes.markDown(node);
                            }
                            return Mono.empty();
                        }))
                .next()
                .doOnNext(leader::set)
                .switchIfEmpty(Mono.fromSupplier(() -> nodes.up().get(0)));
    }

    /**
     * The leader a node names, unless it is marked down: right after a leader fails, the others still
     * name it until they elect a new one, and a follower that is up serves better meanwhile.
     */
    private Node leaderNamedBy(Node answering, ClusterInfo info) {
        if (info.leader() == null) {
            return null;
        }
        NodeAddress address = info.leaderAddress();
        Node named = info.leader().equals(info.node()) ? answering : address == null ? null : nodes.node(address);
        return named != null && named.isUp() ? named : null;
    }
}

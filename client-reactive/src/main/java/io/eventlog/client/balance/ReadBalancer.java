package io.eventlog.client.balance;

import java.util.List;
import java.util.Map;

/**
 * Picks the node a read or a subscription goes to. The client hands over only nodes that are up
 * (and, when reads avoid the leader, only followers while one is up); a strategy never sees a node
 * that was just marked down. Implementations must be thread-safe.
 */
public interface ReadBalancer {

    /** One of {@code candidates}, which is never empty. */
    <N extends BalancedNode> N choose(List<N> candidates);

    static ReadBalancer roundRobin() {
        return new RoundRobinBalancer();
    }

    static ReadBalancer random() {
        return new RandomBalancer(null);
    }

    /** Nodes picked at random in proportion to their weight; a node not named weighs 1. */
    static ReadBalancer weighted(Map<String, Integer> weightByAddress) {
        return new WeightedBalancer(weightByAddress, null);
    }

    /** The node with the fewest requests in flight; ties go round robin. The default. */
    static ReadBalancer leastOutstanding() {
        return new LeastOutstandingBalancer();
    }
}

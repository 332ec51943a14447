package io.eventlog.client.balance;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A candidate picked at random in proportion to its weight, so a node of weight 3 gets three
 * times the reads of a node of weight 1. Nodes not named weigh 1; weight 0 takes reads only
 * when every candidate weighs 0.
 */
public final class WeightedBalancer implements ReadBalancer {
    private final Map<String, Integer> weights;
    private final RandomGenerator random;

    /**
     * @param weightByAddress weight per node address ({@code host:port}), each 0 or more
     * @param random          the source of choices (a seeded one for repeatable tests); null for a thread-local one
     */
    public WeightedBalancer(Map<String, Integer> weightByAddress, RandomGenerator random) {
        weightByAddress.forEach((address, weight) -> {
            if (weight == null || weight < 0) {
                throw new EventLogException(ErrorCode.INVALID_PARAMETER, "weight of " + address + " must be >= 0");
            }
        });
        this.weights = Map.copyOf(weightByAddress);
        this.random = random;
    }

    @Override
    public <N extends BalancedNode> N choose(List<N> candidates) {
        long total = 0;
        for (N node : candidates) {
            total += weight(node);
        }
        if (total == 0) {
            return candidates.get(0);
        }
        long pick = draw(total);
        for (N node : candidates) {
            pick -= weight(node);
            if (pick < 0) {
                return node;
            }
        }
        throw new IllegalStateException("unreachable: the draw is below the total weight");
    }

    private int weight(BalancedNode node) {
        return weights.getOrDefault(node.address(), 1);
    }

    private long draw(long bound) {
        if (random == null) {
            return ThreadLocalRandom.current().nextLong(bound);
        }
        synchronized (this) {
            return random.nextLong(bound);
        }
    }
}

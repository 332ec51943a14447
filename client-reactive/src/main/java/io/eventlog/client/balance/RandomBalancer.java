package io.eventlog.client.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** A candidate picked uniformly at random. */
public final class RandomBalancer implements ReadBalancer {
    private final RandomGenerator random;

    /** @param random the source of choices (a seeded one for repeatable tests); null for a thread-local one */
    public RandomBalancer(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public <N extends BalancedNode> N choose(List<N> candidates) {
        if (random == null) {
            return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        }
        synchronized (this) {
            return candidates.get(random.nextInt(candidates.size()));
        }
    }
}

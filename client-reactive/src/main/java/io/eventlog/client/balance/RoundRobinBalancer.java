package io.eventlog.client.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each candidate in turn. */
public final class RoundRobinBalancer implements ReadBalancer {
    private final AtomicLong turn = new AtomicLong();

    @Override
    public <N extends BalancedNode> N choose(List<N> candidates) {
        return candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size()));
    }
}

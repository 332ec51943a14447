package io.eventlog.client.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The candidate with the fewest of this client's requests and subscriptions in flight, so a slow
 * or busy node gets fewer new ones. Ties go round robin, so an idle client still spreads its reads.
 */
public final class LeastOutstandingBalancer implements ReadBalancer {
    private final AtomicLong turn = new AtomicLong();

    @Override
    public <N extends BalancedNode> N choose(List<N> candidates) {
        int size = candidates.size();
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) size);
        N best = null;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            N node = candidates.get((start + i) % size);
            int outstanding = node.outstanding();
            if (outstanding < fewest) {
                best = node;
                fewest = outstanding;
            }
        }
        return best;
    }
}

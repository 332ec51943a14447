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
        int fewest = Integer.MAX_VALUE;
        int ties = 0;
        for (N node : candidates) {
            int outstanding = node.outstanding();
            if (outstanding < fewest) {
                fewest = outstanding;
                ties = 1;
            } else if (outstanding == fewest) {
                ties++;
            }
        }
        long pick = Math.floorMod(turn.getAndIncrement(), (long) ties);
        for (N node : candidates) {
            if (node.outstanding() == fewest && pick-- == 0) {
                return node;
            }
        }
        // The counts moved between the two passes: any candidate will do.
        return candidates.get(0);
    }
}

package io.eventlog.client.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How each strategy spreads picks over the candidates it is given. */
class ReadBalancerTest {
    private static final int PICKS = 6000;

    record Candidate(String address, int outstanding) implements BalancedNode {
    }

    private final List<Candidate> three = List.of(new Candidate("a:1", 0), new Candidate("b:1", 0), new Candidate("c:1", 0));

    @Test
    void roundRobinTakesEachInTurn() {
        Map<String, Integer> counts = pick(ReadBalancer.roundRobin(), three);
        assertEquals(Map.of("a:1", 2000, "b:1", 2000, "c:1", 2000), counts);
    }

    @Test
    void randomSpreadsEvenly() {
        Map<String, Integer> counts = pick(new RandomBalancer(new Random(7)), three);
        counts.values().forEach(count -> assertTrue(count > 1800 && count < 2200, counts.toString()));
    }

    @Test
    void weightedFollowsTheWeights() {
        Map<String, Integer> counts = pick(new WeightedBalancer(Map.of("a:1", 3, "c:1", 0), new Random(7)), three);
        assertEquals(null, counts.get("c:1"), "weight 0 gets nothing while others weigh more");
        assertTrue(Math.abs(counts.get("a:1") - 4500) < 200, counts.toString());
        assertTrue(Math.abs(counts.get("b:1") - 1500) < 200, counts.toString());
    }

    @Test
    void leastOutstandingPrefersTheLeastBusyAndRotatesTies() {
        List<Candidate> busy = List.of(new Candidate("a:1", 5), new Candidate("b:1", 1), new Candidate("c:1", 1));
        Map<String, Integer> counts = pick(ReadBalancer.leastOutstanding(), busy);
        assertEquals(Map.of("b:1", 3000, "c:1", 3000), counts);
    }

    private static Map<String, Integer> pick(ReadBalancer balancer, List<Candidate> candidates) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(balancer.choose(candidates).address(), 1, Integer::sum);
        }
        return counts;
    }
}

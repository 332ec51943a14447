package io.eventlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ReadRequest;
import io.eventlog.client.balance.RandomBalancer;
import io.eventlog.client.balance.ReadBalancer;
import io.eventlog.client.balance.WeightedBalancer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads through the client spread over two live nodes as each strategy says, while a third node
 * refuses connections: it is marked down after its first failure and skipped from then on, and
 * no read fails because of it.
 */
class ReadBalancingTest {
    private static final int READS = 300;

    private FakeNode a;
    private FakeNode b;
    private String dead;

    @BeforeEach
    void startNodes() {
        a = new FakeNode((request, response) -> response.sendString(Mono.just(FakeNode.entry("s", 1, 0))));
        b = new FakeNode((request, response) -> response.sendString(Mono.just(FakeNode.entry("s", 1, 0))));
        dead = AppendFailoverTest.deadAddress();
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void roundRobinAlternatesBetweenTheLiveNodes() {
        int[] counts = readThrough(ReadBalancer.roundRobin());
        // The read that found the dead node took one extra turn.
        assertTrue(Math.abs(counts[0] - counts[1]) <= 2, counts[0] + " vs " + counts[1]);
    }

    @Test
    void randomSpreadsOverTheLiveNodes() {
        int[] counts = readThrough(new RandomBalancer(new Random(11)));
        assertTrue(counts[0] > 110 && counts[1] > 110, counts[0] + " vs " + counts[1]);
    }

    @Test
    void weightedGivesTheHeavierNodeItsShare() {
        int[] counts = readThrough(new WeightedBalancer(Map.of(a.address(), 3, dead, 5), new Random(11)));
        double share = counts[0] / (double) READS;
        assertTrue(share > 0.65 && share < 0.85, "node a's share " + share);
    }

    @Test
    void leastOutstandingSpreadsSequentialReadsEvenly() {
        int[] counts = readThrough(ReadBalancer.leastOutstanding());
        // Ties rotate; a read's count drops only as its Flux ends, so the split is near even, not exact.
        assertTrue(Math.abs(counts[0] - counts[1]) <= READS / 10, counts[0] + " vs " + counts[1]);
    }

    @Test
    void leastOutstandingSendsConcurrentReadsAwayFromASlowNode() {
        // Slow enough that even on a loaded machine the fast node serves many reads meanwhile (at 300 ms it once got exactly 3x).
        a.answer((request, response) -> response.sendString(Mono.just(FakeNode.entry("s", 1, 0))
                .delayElement(Duration.ofMillis(1000))));
        try (EventLogClient client = EventLogClient.builder().nodes(a.address(), b.address()).build()) {
            Flux.range(0, 40)
                    .flatMap(i -> client.read(ReadRequest.stream("s", 0, 1)).then(Mono.delay(Duration.ofMillis(5))), 8)
                    .blockLast(Duration.ofSeconds(30));
        }
        int slow = a.requests().size();
        int fast = b.requests().size();
        assertTrue(fast > 3 * slow, "slow node " + slow + ", fast node " + fast);
    }

    @Test
    void readsThatSpareTheLeaderFindItOutFirstAndGoToFollowers() {
        a.answer((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 0, Map.of("1", a.address(), "2", b.address()))
                : response.sendString(Mono.just(FakeNode.entry("s", 1, 0))));
        try (EventLogClient client = EventLogClient.builder().nodes(a.address(), b.address()).readsFromLeader(false)
                .readBalancer(ReadBalancer.roundRobin()).build()) {
            for (int i = 0; i < 10; i++) {
                client.read(ReadRequest.stream("s", 0, 1)).blockLast(Duration.ofSeconds(10));
            }
        }
        assertEquals(0, a.requests("/v1/streams").size(), "the leader served no read");
        assertEquals(10, b.requests("/v1/streams").size());
    }

    /** {@value READS} reads one after the other; the count each live node served. */
    private int[] readThrough(ReadBalancer balancer) {
        try (EventLogClient client = EventLogClient.builder().nodes(a.address(), dead, b.address())
                .readBalancer(balancer).nodeDownTime(Duration.ofMinutes(1))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).build()) {
            for (int i = 0; i < READS; i++) {
                assertEquals(1, client.read(ReadRequest.stream("s", 0, 1)).collectList().block(Duration.ofSeconds(10)).size());
            }
        }
        int[] counts = {a.requests().size(), b.requests().size()};
        assertEquals(READS, counts[0] + counts[1], "every read was served by a live node, once");
        return counts;
    }
}

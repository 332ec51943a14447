package io.eventlog.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.client.balance.ReadBalancer;
import io.eventlog.client.http.HttpTransport;
import io.eventlog.client.transport.NodeAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes reads may go to: those up, and the leader only when reads may use it or nothing else is up. */
class ReadRouterTest {
    private static final NodeAddress A = new NodeAddress("10.0.0.1", 7070);
    private static final NodeAddress B = new NodeAddress("10.0.0.2", 7070);
    private static final NodeAddress C = new NodeAddress("10.0.0.3", 7070);

    @Test
    void readsSpareTheLeaderWhileAFollowerIsUp() {
        try (HttpTransport transport = new HttpTransport(Duration.ofSeconds(1));
             NodeDirectory nodes = new NodeDirectory(transport, List.of(A, B, C), Duration.ofMinutes(1))) {
            LeaderTracker leaders = new LeaderTracker(nodes, Duration.ofSeconds(1));
            leaders.redirectedTo(A);
            ReadRouter router = new ReadRouter(nodes, leaders, ReadBalancer.roundRobin(), false);
            assertEquals(Map.of("10.0.0.2:7070", 50, "10.0.0.3:7070", 50), picks(router, 100));

            nodes.markDown(nodes.node(B));
            assertEquals(Map.of("10.0.0.3:7070", 100), picks(router, 100));
            nodes.markDown(nodes.node(C));
            assertEquals(Map.of("10.0.0.1:7070", 100), picks(router, 100), "the leader alone is still used");
        }
    }

    @Test
    void readsMayUseTheLeaderWhenAllowed() {
        try (HttpTransport transport = new HttpTransport(Duration.ofSeconds(1));
             NodeDirectory nodes = new NodeDirectory(transport, List.of(A, B, C), Duration.ofMinutes(1))) {
            LeaderTracker leaders = new LeaderTracker(nodes, Duration.ofSeconds(1));
            leaders.redirectedTo(A);
            ReadRouter router = new ReadRouter(nodes, leaders, ReadBalancer.roundRobin(), true);
            assertEquals(Map.of("10.0.0.1:7070", 40, "10.0.0.2:7070", 40, "10.0.0.3:7070", 40), picks(router, 120));
        }
    }

    private static Map<String, Integer> picks(ReadRouter router, int count) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            counts.merge(router.choose().block().address(), 1, Integer::sum);
        }
        return counts;
    }
}

package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.Entry;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.EventLogClient;
import io.eventlog.server.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The reactive client over the binary protocol against three node processes, while the leader and
 * then a follower are killed with SIGKILL and restarted: every append's Mono signals once and
 * succeeds, each acknowledged append is in the log once at its offset, and a subscription of the
 * whole log delivers exactly the log, in order, across the kills.
 */
class ClientKillNineTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void appendsAndASubscriptionThroughTheClientSurviveKillNineOfTheLeaderAndOfAFollower() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(3, data.resolve("nodes"), data.resolve("logs"),
                List.of("--append-timeout=4s"));
             EventLogClient client = client(cluster)) {
            int leader = cluster.leader();
            List<Entry> delivered = new CopyOnWriteArrayList<>();
            List<Throwable> subscriptionFailures = new CopyOnWriteArrayList<>();
            Disposable subscription = client.subscribe(SubscribeRequest.log(0))
                    .subscribe(delivered::add, subscriptionFailures::add);
            ClientAppenders appenders = ClientAppenders.start(List.of(client, client));
            try {
                IntSupplier count = appenders::acknowledgedCount;
                awaitMore(count, 50, "appends before the kills");
                cluster.kill9(leader);
                awaitMore(count, 50, "appends after the leader's kill");
                cluster.restart(leader);
                int follower = cluster.ids().stream().filter(id -> id != cluster.leader()).findFirst().orElseThrow();
                cluster.kill9(follower);
                awaitMore(count, 50, "appends after a follower's kill");
                cluster.restart(follower);
                awaitMore(count, 20, "appends after the restarts");
            } finally {
                appenders.stop();
            }
            long last = appenders.lastOffset();
            cluster.awaitConverged();
            List<Entry> log = client.read(ReadRequest.log(0, 100_000).withMinOffset(last)).collectList().block(WAIT);

            appenders.assertExactlyOnce(log);
            assertEquals(List.of(), subscriptionFailures, "the subscription went on");
            awaitAtLeast(delivered::size, log.size(), "the subscription to deliver the whole log");
            subscription.dispose();
            assertEquals(log, delivered.subList(0, log.size()), "the subscription delivered the log, no repeat, no gap");
        }
    }

    private static void awaitMore(IntSupplier count, int more, String what) {
        awaitAtLeast(count, count.getAsInt() + more, what);
    }

    private static void awaitAtLeast(IntSupplier count, int target, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count.getAsInt() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + count.getAsInt() + " of " + target);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static EventLogClient client(ProcessCluster cluster) {
        EventLogClient.Builder builder = EventLogClient.builder()
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .maxAttempts(1000)
                .retryDeadline(WAIT)
                .binary();
        cluster.ids().forEach(id -> builder.nodes(cluster.binaryAddress(id)));
        return builder.build();
    }
}

package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.node.EventLogNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Three embedded cluster members on loopback: appends anywhere, the same log everywhere. */
class ReplicatedNodeTest {
    @TempDir
    Path root;

    @Test
    void appendsOnAnyMemberLandAtTheSameOffsetsOnEveryMember() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);

            AppendResult first = append(cluster.node(leader), "orders", "{\"n\":1}");
            AppendResult forwarded = append(cluster.node(follower), "orders", "{\"n\":2}");
            AppendResult batch = cluster.node(follower).append("orders",
                    List.of(EventData.json("T", "{\"n\":3}"), EventData.json("T", "{\"n\":4}")),
                    AppendOptions.DEFAULT).block(Duration.ofSeconds(10));

            assertEquals(0, first.version());
            assertEquals(1, forwarded.version());
            assertEquals(3, batch.version());
            assertEquals(2, batch.count());
            assertTrue(forwarded.offset() > first.offset());
            List<Entry> expected = readAll(cluster.node(leader), batch.offset());
            assertEquals(4, expected.size());
            for (int id = 1; id <= 3; id++) {
                assertEquals(expected, readAll(cluster.node(id), batch.offset()), "node " + id);
            }
        }
    }

    @Test
    void expectedVersionIsCheckedAgainstTheLeadersUncommittedAppendsToo() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);
            EventLogNode viaFollower = cluster.node(follower);
            append(viaFollower, "acct", "{}");
            AppendOptions atZero = new AppendOptions(ExpectedVersion.exactly(0), null);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<AppendResult> wins = new CopyOnWriteArrayList<>();
            List<Mono<AppendResult>> racing = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                EventLogNode via = cluster.node(1 + i % 3);
                racing.add(via.append("acct", List.of(EventData.json("T", "{}")), atZero)
                        .doOnNext(wins::add).doOnError(errors::add).onErrorResume(e -> Mono.empty()));
            }
            Flux.merge(racing).blockLast(Duration.ofSeconds(15));
            assertEquals(1, wins.size(), "exactly one append at version 0 wins");
            assertEquals(9, errors.size());
            errors.forEach(e -> assertInstanceOf(WrongExpectedVersionException.class, e));
        }
    }

    @Test
    void aNewLeaderTakesOverAndARestartedMemberCatchesUp() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            for (int i = 0; i < 20; i++) {
                append(cluster.node(leader), "s", "{\"i\":" + i + "}");
            }
            cluster.stop(leader);
            int next = cluster.awaitLeader();
            assertTrue(next != leader);
            AppendResult after = append(cluster.node(next), "s", "{\"i\":20}");
            assertEquals(20, after.version());

            cluster.start(leader);
            EventLogNode restarted = cluster.node(leader);
            InProcessCluster.await("the restarted member applies offset " + after.offset(),
                    () -> restarted.lastOffset() >= after.offset());
            assertEquals(readAll(cluster.node(next), after.offset()), readAll(restarted, after.offset()));
            ClusterView view = restarted.clusterView();
            assertEquals(3, view.members().size());
        }
    }

    /**
     * A member restarted after a while is reached by the others only once their reconnect backoff
     * (up to 2 s) ends; made leader at once, it is known as leader before those links are up. An
     * append on a third member waits for its link instead of being lost.
     */
    @Test
    void anAppendOnAFollowerWaitsForItsLinkToANewLeader() throws InterruptedException {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int first = cluster.awaitLeader();
            cluster.stop(first);
            int interim = cluster.awaitLeader();
            Thread.sleep(4_000); // the others' reconnect backoff to the stopped member grows to its 2 s cap
            cluster.start(first);
            cluster.onLeader(admin -> admin.transferLeadership(first));
            int third = 6 - first - interim;
            AppendResult result = append(cluster.node(third), "s", "{}");
            int leader = cluster.awaitLeader();
            assertEquals(List.of(result.offset()), readAll(cluster.node(leader), result.offset()).stream()
                    .map(Entry::offset).filter(offset -> offset == result.offset()).toList());
        }
    }

    @Test
    void aSubscriberOnAFollowerSeesTheLeadersAppendsInOrder() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);
            List<Entry> seen = new CopyOnWriteArrayList<>();
            Disposable subscription = cluster.node(follower).subscribe(SubscribeRequest.stream("live", 0))
                    .subscribe(seen::add);
            try {
                for (int i = 0; i < 50; i++) {
                    append(cluster.node(i % 2 == 0 ? leader : follower), "live", "{\"i\":" + i + "}");
                }
                InProcessCluster.await("50 entries on the follower's subscription", () -> seen.size() >= 50);
                for (int i = 0; i < 50; i++) {
                    assertEquals(i, seen.get(i).version());
                }
                assertEquals(50, seen.size());
            } finally {
                subscription.dispose();
            }
        }
    }

    private static AppendResult append(EventLogNode node, String stream, String json) {
        return node.append(stream, List.of(EventData.json("T", json)), AppendOptions.DEFAULT)
                .block(Duration.ofSeconds(10));
    }

    private static List<Entry> readAll(EventLogNode node, long upTo) {
        return node.read(ReadRequest.log(1, 10_000).withMinOffset(upTo)).collectList().block(Duration.ofSeconds(10));
    }
}

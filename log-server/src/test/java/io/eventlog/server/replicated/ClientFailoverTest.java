package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.EventLogClient;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.node.EventLogNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The reactive client against three members, over HTTP and over the binary protocol, while members are stopped: appends
 * follow the leader without loss or duplicate, and a subscription moves to another member without
 * repeating or skipping an entry.
 */
class ClientFailoverTest {
    private static final int CLIENTS = 4;

    @TempDir
    Path root;

    /** The wire protocols the client speaks. */
    enum Protocol { HTTP, BINARY }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void appendsFromSeveralClientsSurviveTheLeadersStopWrittenExactlyOnce(Protocol protocol) throws Exception {
        try (InProcessCluster cluster = InProcessCluster.withHttp(root, 3)) {
            int leader = cluster.awaitLeader();
            List<EventLogClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(client(cluster, protocol));
            }
            ClientAppenders appenders = ClientAppenders.start(clients);
            try {
                InProcessCluster.await("appends before the stop", () -> appenders.acknowledgedCount() > 100);
                cluster.stop(leader);
                int before = appenders.acknowledgedCount();
                InProcessCluster.await("appends after the stop", () -> appenders.acknowledgedCount() > before + 100);
            } finally {
                appenders.stop();
                clients.forEach(EventLogClient::close);
            }

            cluster.start(leader);
            long last = appenders.lastOffset();
            List<Entry> reference = readAll(cluster.node(cluster.awaitLeader()), last);
            for (int id = 1; id <= 3; id++) {
                assertEquals(reference, readAll(cluster.node(id), last), "member " + id + "'s log");
            }
            appenders.assertExactlyOnce(reference);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSubscriptionGoesOnFromAnotherMemberWhenItsMemberStops(Protocol protocol) throws Exception {
        try (InProcessCluster cluster = InProcessCluster.withHttp(root, 3);
             EventLogClient writer = client(cluster, protocol);
             EventLogClient reader = client(cluster, protocol)) {
            cluster.awaitLeader();
            List<Entry> received = new CopyOnWriteArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            Disposable subscription = reader.subscribe(SubscribeRequest.stream("feed", 0))
                    .doFinally(signal -> ended.countDown())
                    .subscribe(received::add);
            try {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger written = new AtomicInteger();
                Thread appender = new Thread(() -> {
                    for (int n = 0; running.get(); n++) {
                        writer.append("feed", EventData.json("{\"n\":" + n + "}")).block(Duration.ofSeconds(30));
                        written.incrementAndGet();
                    }
                }, "feed-writer");
                appender.start();
                InProcessCluster.await("entries through the subscription", () -> received.size() > 50);
                int serving = servingMember(cluster, protocol);
                cluster.stop(serving);
                int before = received.size();
                InProcessCluster.await("entries after the stop", () -> received.size() > before + 100);
                running.set(false);
                appender.join(TimeUnit.SECONDS.toMillis(60));
                InProcessCluster.await("every written entry delivered", () -> received.size() >= written.get());
                assertTrue(servingMember(cluster, protocol) != serving, "another member serves the subscription");
                assertEquals(1, ended.getCount(), "the subscription is still running");
                for (int v = 0; v < received.size(); v++) {
                    Entry entry = received.get(v);
                    assertEquals(v, entry.version(), "no repeat, no skip");
                    assertEquals("{\"n\":" + v + "}", entry.dataAsString());
                }
                assertEquals(written.get(), received.size());
            } finally {
                subscription.dispose();
            }
        }
    }

    /** The member serving the one live subscription. */
    private static int servingMember(InProcessCluster cluster, Protocol protocol) {
        int[] serving = {0};
        InProcessCluster.await("a member serving the subscription", () -> {
            for (int id = 1; id <= 3; id++) {
                EventLogServer server = cluster.server(id);
                if (server != null && (protocol == Protocol.HTTP ? server.httpSubscribers()
                        : server.binarySubscribers()) == 1) {
                    serving[0] = id;
                    return true;
                }
            }
            return false;
        });
        return serving[0];
    }

    private static EventLogClient client(InProcessCluster cluster, Protocol protocol) {
        EventLogClient.Builder builder = EventLogClient.builder()
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .maxAttempts(100);
        for (int id = 1; id <= 3; id++) {
            builder.nodes(protocol == Protocol.HTTP ? cluster.httpAddress(id) : cluster.binaryAddress(id));
        }
        return (protocol == Protocol.BINARY ? builder.binary() : builder).build();
    }

    private static List<Entry> readAll(EventLogNode node, long upTo) {
        return node.read(ReadRequest.log(1, 10_000).withMinOffset(upTo)).collectList().block(Duration.ofSeconds(15));
    }
}

package io.eventlog.server.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.client.EventLogClient;
import io.eventlog.client.balance.ReadBalancer;
import io.eventlog.server.EventLogServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The README's client quick start, run as written against a node on a free port. */
class ClientExampleTest {
    record OrderPlaced(String item, int qty) {
    }

    record OrderPaid(int amount) {
    }

    @TempDir
    Path dataDir;

    @Test
    void theReadmeQuickStartRunsAsWritten() throws Exception {
        List<String> paid = new CopyOnWriteArrayList<>();
        try (EventLogServer server = EventLogServer.start(EventLogServer.Options.defaults(dataDir).withHost("127.0.0.1").withPort(0))) {
            String node1 = "127.0.0.1:" + server.port();
            // --- README example starts ---
            try (EventLogClient client = EventLogClient.builder()
                    .nodes(node1)                                  // any members; the rest are learnt from /v1/cluster
                    .requestTimeout(Duration.ofSeconds(10))        // one node's answer
                    .retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(2))
                    .maxAttempts(10).retryDeadline(Duration.ofSeconds(30))
                    .readBalancer(ReadBalancer.leastOutstanding()) // or roundRobin(), random(), weighted(Map)
                    .readsFromLeader(true)
                    .build()) {
                // Typed events, catch-up then live; the Flux resumes on another node if its node goes away.
                Disposable payments = client.subscribe(SubscribeRequest.stream("order-17", 0))
                        .filter(entry -> "OrderPaid".equals(entry.type()))
                        .map(entry -> client.events().fromEntry(entry, OrderPaid.class).value())
                        .subscribe(payment -> paid.add("paid " + payment.amount()));

                // The event type is the class's simple name; the Idempotency-Key is generated unless given.
                AppendResult placed = client.append("order-17", new OrderPlaced("book", 2),
                        AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM)).block();
                client.append("order-17", new OrderPaid(42),
                        AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(placed.version()))
                                .withIdempotencyKey("payment-981")).block();
                try {
                    client.append("order-17", new OrderPlaced("pen", 1),
                            AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM)).block();
                } catch (WrongExpectedVersionException e) {
                    System.out.println("already placed: stream is at version " + e.actual());
                }

                // Read-your-writes from whichever node the balancer picks.
                client.read(ReadRequest.stream("order-17", 0, 100).withMinOffset(placed.offset()), OrderPlaced.class)
                        .take(1)
                        .subscribe(order -> System.out.println(order.version() + " " + order.value()));
                // --- README example ends ---
                long deadline = System.currentTimeMillis() + 10_000;
                while (paid.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                payments.dispose();
                assertEquals(List.of("paid 42"), paid);
                assertEquals(2, client.read(ReadRequest.stream("order-17", 0, 100)).count().block());
            }
        }
    }
}

package io.eventlog.server.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The README's embedded example, run as written: an order service keeping its events in-process. */
class EmbeddedExampleTest {
    @TempDir
    Path dataDir;

    @Test
    void theReadmeExampleRunsAsWritten() {
        List<String> shipped = new CopyOnWriteArrayList<>();
        // --- README example starts ---
        try (EventLogNode log = EventLogNode.open(NodeConfig.defaults(dataDir).withDurability(Durability.FSYNC))) {
            // React to every order event, past and future (catch-up, then live).
            Disposable shipping = log.subscribe(SubscribeRequest.stream("order-17", 0))
                    .filter(entry -> "OrderPaid".equals(entry.type()))
                    .subscribe(entry -> shipped.add(entry.dataAsString()));

            // Append with optimistic concurrency: each event expects the version before it.
            AppendResult placed = log.append("order-17", EventData.json("OrderPlaced", "{\"total\":42}"),
                    AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM)).block();
            log.append("order-17", EventData.json("OrderPaid", "{\"amount\":42}"),
                    AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(placed.version()))
                            .withIdempotencyKey("payment-981")).block();
            try {
                log.append("order-17", EventData.json("OrderPlaced", "{\"total\":1}"),
                        AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM)).block();
            } catch (WrongExpectedVersionException e) {
                System.out.println("already placed: stream is at version " + e.actual());
            }

            // Read the stream back, as the HTTP API would return it.
            List<Entry> history = log.read(ReadRequest.stream("order-17", 0, 100)).collectList().block();
            history.forEach(entry -> System.out.println(entry.version() + " " + entry.type() + " " + entry.dataAsString()));
            // --- README example ends ---
            assertEquals(List.of("OrderPlaced", "OrderPaid"), history.stream().map(Entry::type).toList());
            long deadline = System.currentTimeMillis() + 5000;
            while (shipped.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("{\"amount\":42}"), shipped);
            shipping.dispose();
        }
    }
}

package io.eventlog.server.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.client.EventLogClient;
import io.eventlog.client.typed.TypedEntry;
import io.eventlog.server.EventLogServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** The reactive client against a real node over HTTP: typed events both ways, and the node's errors as exceptions. */
class ClientAgainstNodeTest {
    record OrderPlaced(String item, int qty) {
    }

    @TempDir
    Path dir;
    private EventLogServer server;
    private EventLogClient client;

    @BeforeEach
    void start() {
        server = EventLogServer.start(EventLogServer.Options.defaults(dir).withHost("127.0.0.1").withPort(0));
        client = EventLogClient.builder().nodes("127.0.0.1:" + server.port()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void typedEventsGoInAndComeOutAsTheyWere() {
        StepVerifier.create(client.subscribe(SubscribeRequest.stream("orders", 0), OrderPlaced.class).take(3))
                .then(() -> {
                    client.append("orders", new OrderPlaced("book", 2)).block(Duration.ofSeconds(10));
                    client.appendAll("orders", List.of(new OrderPlaced("pen", 1), new OrderPlaced("ink", 3)),
                            AppendOptions.DEFAULT).block(Duration.ofSeconds(10));
                })
                .assertNext(entry -> assertTyped(entry, 0, new OrderPlaced("book", 2)))
                .assertNext(entry -> assertTyped(entry, 1, new OrderPlaced("pen", 1)))
                .assertNext(entry -> assertTyped(entry, 2, new OrderPlaced("ink", 3)))
                .verifyComplete();
        StepVerifier.create(client.read(ReadRequest.stream("orders", 1, 10), OrderPlaced.class).map(TypedEntry::value))
                .expectNext(new OrderPlaced("pen", 1), new OrderPlaced("ink", 3))
                .verifyComplete();
    }

    @Test
    void aWrongExpectedVersionFailsWithTheStreamsActualVersion() {
        AppendResult first = client.append("acct", new OrderPlaced("a", 1),
                AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM)).block(Duration.ofSeconds(10));
        assertEquals(0, first.version());
        StepVerifier.create(client.append("acct", new OrderPlaced("b", 1),
                        AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(5))))
                .expectErrorSatisfies(e -> {
                    WrongExpectedVersionException wrong = (WrongExpectedVersionException) e;
                    assertEquals(5, wrong.expected());
                    assertEquals(0, wrong.actual());
                })
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aReadOfAStreamThatDoesNotExistFailsWithStreamNotFound() {
        StepVerifier.create(client.read(ReadRequest.stream("nothing-here", 0, 10)))
                .expectError(StreamNotFoundException.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void invalidJsonIsRefusedWithTheNodesCode() {
        StepVerifier.create(client.append("raw", "T", "{not json".getBytes(), AppendOptions.DEFAULT))
                .expectErrorSatisfies(e -> assertEquals(ErrorCode.INVALID_JSON, ((EventLogException) e).code()))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void anIdempotencyKeyGivenTwiceWritesOnce() {
        AppendOptions once = AppendOptions.DEFAULT.withIdempotencyKey("pay-1");
        AppendResult first = client.append("pay", new OrderPlaced("x", 1), once).block(Duration.ofSeconds(10));
        AppendResult again = client.append("pay", new OrderPlaced("x", 1), once).block(Duration.ofSeconds(10));
        assertEquals(first, again);
        assertEquals(1, client.read(ReadRequest.stream("pay", 0, 10)).count().block(Duration.ofSeconds(10)));
    }

    private static void assertTyped(TypedEntry<OrderPlaced> entry, long version, OrderPlaced value) {
        assertEquals(version, entry.version());
        assertEquals("OrderPlaced", entry.type());
        assertEquals(value, entry.value());
    }
}

package io.eventlog.server.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.binary.BinaryConnection;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.http.HttpConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The binary protocol against a real node: the same semantics and errors as HTTP. */
class BinaryProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path data;
    private EventLogServer server;
    private BinaryConnection connection;

    @BeforeEach
    void start() {
        HttpConfig http = HttpConfig.defaults().withHost("127.0.0.1").withPort(0).withMaxBatchEvents(100);
        server = EventLogServer.start(EventLogServer.Options.defaults(data).withHttp(http)
                .withBinary(BinaryConfig.of("127.0.0.1", 0, http.maxBodyBytes(), http.maxBatchEvents())));
        connection = BinaryConnection.connect("127.0.0.1", server.binaryPort(), WAIT).block(WAIT);
    }

    @AfterEach
    void stop() {
        connection.close();
        server.close();
    }

    @Test
    void appendsAndReadsRoundTrip() {
        AppendResult first = append("orders", EventData.json("Placed", "{\"n\":1}"));
        AppendResult batch = connection.append("orders", List.of(EventData.json("Paid", "{\"n\":2}"),
                EventData.json("Shipped", "{\"n\":3}")), AppendOptions.DEFAULT).block(WAIT);
        assertEquals(0, first.version());
        assertEquals(2, batch.version());
        assertEquals(2, batch.count());

        List<Entry> overBinary = connection.read(ReadRequest.stream("orders", 0, 100)).collectList().block(WAIT);
        List<Entry> embedded = server.node().read(ReadRequest.stream("orders", 0, 100)).collectList().block(WAIT);
        assertEquals(embedded, overBinary);
        assertEquals(List.of("Placed", "Paid", "Shipped"), overBinary.stream().map(Entry::type).toList());
        assertEquals("node-1", connection.nodeId());
    }

    @Test
    void manyAppendsInFlightOnOneConnectionAreEachAnsweredOnce() {
        List<AppendResult> results = Flux.range(0, 500)
                .flatMap(i -> connection.append("s" + (i % 7), List.of(EventData.json("{\"i\":" + i + "}")),
                        AppendOptions.DEFAULT), 512)
                .collectList().block(WAIT);
        assertEquals(500, results.size());
        assertEquals(500, results.stream().map(AppendResult::offset).distinct().count());
        assertEquals(500, server.node().read(ReadRequest.log(0, 5000)).count().block(WAIT));
    }

    @Test
    void errorsAreTheContractsErrors() {
        append("acct", EventData.json("{}"));
        EventLogException conflict = assertThrows(EventLogException.class, () -> connection.append("acct",
                List.of(EventData.json("{}")), new AppendOptions(ExpectedVersion.exactly(5), null)).block(WAIT));
        WrongExpectedVersionException wrong = assertInstanceOf(WrongExpectedVersionException.class, conflict);
        assertEquals(0, wrong.actual());
        assertThrows(StreamNotFoundException.class,
                () -> connection.read(ReadRequest.stream("missing", 0, 10)).blockLast(WAIT));
        EventLogException badName = assertThrows(EventLogException.class,
                () -> connection.append("bad name", List.of(EventData.json("{}")), AppendOptions.DEFAULT).block(WAIT));
        assertEquals(ErrorCode.INVALID_STREAM, badName.code());
        List<EventData> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(EventData.json("{}"));
        }
        EventLogException tooLarge = assertThrows(EventLogException.class,
                () -> connection.append("acct", tooMany, AppendOptions.DEFAULT).block(WAIT));
        assertEquals(ErrorCode.TOO_LARGE, tooLarge.code());
        // None of them changed anything, and the connection still serves.
        assertEquals(1, server.node().read(ReadRequest.log(0, 100)).count().block(WAIT));
        assertEquals(1, append("acct", EventData.json("{}")).version());
    }

    @Test
    void anIdempotencyKeyMakesARetryReturnTheOriginal() {
        AppendOptions keyed = AppendOptions.DEFAULT.withIdempotencyKey("payment-17");
        AppendResult original = connection.append("pay", List.of(EventData.json("{}")), keyed).block(WAIT);
        AppendResult retried = connection.append("pay", List.of(EventData.json("{}")), keyed).block(WAIT);
        assertEquals(original, retried);
        assertEquals(1, server.node().read(ReadRequest.log(0, 100)).count().block(WAIT));
    }

    @Test
    void aSubscriptionSendsNoMoreThanItsCredit() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            append("feed", EventData.json("{\"i\":" + i + "}"));
        }
        List<Entry> received = new CopyOnWriteArrayList<>();
        BaseSubscriber<Entry> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                subscription.request(5);
            }

            @Override
            protected void hookOnNext(Entry entry) {
                received.add(entry);
            }
        };
        connection.subscribe(SubscribeRequest.stream("feed", 0)).subscribe(slow);
        awaitSize(received, 5);
        Thread.sleep(300); // what the server would send past its credit would arrive by now
        assertEquals(5, received.size());
        slow.request(45);
        awaitSize(received, 50);
        append("feed", EventData.json("{\"live\":true}"));
        Thread.sleep(300);
        assertEquals(50, received.size(), "no credit left for the live entry");
        slow.request(1);
        awaitSize(received, 51);
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i, received.get(i).version());
        }
        slow.dispose();
    }

    @Test
    void aCancelledSubscriptionFreesItsPlace() {
        append("t", EventData.json("{}"));
        Entry first = connection.subscribe(SubscribeRequest.stream("t", 0)).blockFirst(WAIT);
        assertEquals(0, first.version());
        // The server answers a cancel with END and forgets the subscription; the connection goes on.
        assertEquals(1, append("t", EventData.json("{}")).version());
        assertEquals(List.of(0L, 1L), connection.subscribe(SubscribeRequest.stream("t", 0)).take(2)
                .map(Entry::version).collectList().block(WAIT));
    }

    @Test
    void aClosedServerFailsWhatIsInFlight() {
        Mono<Entry> waiting = connection.subscribe(SubscribeRequest.streamFromEnd("never")).next();
        server.close();
        EventLogException e = assertThrows(EventLogException.class, () -> waiting.block(WAIT));
        assertTrue(e.code().retryable(), e.code() + ": " + e.getMessage());
    }

    private AppendResult append(String stream, EventData event) {
        return connection.append(stream, List.of(event), AppendOptions.DEFAULT).block(WAIT);
    }

    private static void awaitSize(List<?> list, int size) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (list.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited for " + size + " items, have " + list.size());
            }
            Thread.onSpinWait();
        }
    }
}

package io.eventlog.server.node;

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
import io.eventlog.server.streams.IdempotencyLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class EventLogNodeTest {
    @TempDir
    Path dir;
    EventLogNode node;

    @BeforeEach
    void open() {
        node = EventLogNode.open(NodeConfig.defaults(dir));
    }

    @AfterEach
    void close() {
        node.close();
    }

    private AppendResult append(String stream, String json) {
        return node.append(stream, EventData.json(json)).block();
    }

    private List<Entry> readStream(String stream, long from) {
        return node.read(ReadRequest.stream(stream, from, 1000)).collectList().block();
    }

    private List<Entry> readLog(long from) {
        return node.read(ReadRequest.log(from, 10_000)).collectList().block();
    }

    @Test
    void appendsGetIncreasingOffsetsFromOneAndDenseVersionsPerStream() {
        AppendResult a0 = append("a", "{\"n\":0}");
        AppendResult b0 = append("b", "\"x\"");
        AppendResult a1 = append("a", "[1,2]");
        assertEquals(new AppendResult("a", 1, 0, 1, 0, 1), a0);
        assertEquals(new AppendResult("b", 2, 0, 2, 0, 1), b0);
        assertEquals(new AppendResult("a", 3, 1, 3, 1, 1), a1);

        List<Entry> a = readStream("a", 0);
        assertEquals(List.of(1L, 3L), a.stream().map(Entry::offset).toList());
        assertEquals(List.of(0L, 1L), a.stream().map(Entry::version).toList());
        assertEquals("[1,2]", a.get(1).dataAsString());
        assertEquals(List.of("a", "b", "a"), readLog(0).stream().map(Entry::stream).toList());
        assertEquals(List.of(3L), readLog(3).stream().map(Entry::offset).toList());
        assertEquals(List.of(), readLog(4));
        assertEquals(List.of(), readStream("a", 2));
    }

    @Test
    void typeHeadersAndTimestampAreStoredAndHeaderNamesLowerCased() {
        long before = System.currentTimeMillis();
        node.append("s", new EventData("Placed", Map.of("Trace-Id", "t1"), "{}".getBytes())).block();
        Entry entry = readStream("s", 0).get(0);
        assertEquals("Placed", entry.type());
        assertEquals(Map.of("trace-id", "t1"), entry.headers());
        assertTrue(entry.timestamp() >= before && entry.timestamp() <= System.currentTimeMillis());
    }

    @Test
    void aBatchIsAppendedAllOrNothing() {
        List<EventData> batch = List.of(EventData.json("1"), EventData.json("2"), EventData.json("3"));
        AppendResult result = node.append("s", batch, AppendOptions.DEFAULT).block();
        assertEquals(new AppendResult("s", 3, 2, 1, 0, 3), result);

        List<EventData> bad = List.of(EventData.json("4"), EventData.json("{oops"));
        EventLogException error = assertThrows(EventLogException.class,
                () -> node.append("s", bad, AppendOptions.DEFAULT).block());
        assertEquals(ErrorCode.INVALID_JSON, error.code());
        assertEquals(3, readLog(0).size());
    }

    @Test
    void badInputIsRefusedWithItsCodeAndStoresNothing() {
        Map<String, ErrorCode> cases = Map.of(
                "{\"a\":", ErrorCode.INVALID_JSON,
                "1 2", ErrorCode.INVALID_JSON,
                "NaN", ErrorCode.INVALID_JSON,
                "  \n ", ErrorCode.EMPTY_BODY,
                "{'a':1}", ErrorCode.INVALID_JSON);
        cases.forEach((json, code) -> assertEquals(code, assertThrows(EventLogException.class,
                () -> append("s", json)).code(), json));
        assertEquals(ErrorCode.INVALID_JSON, assertThrows(EventLogException.class, () -> node.append("s",
                new EventData(null, Map.of(), new byte[] {'"', (byte) 0xC3, '"'})).block()).code());
        assertEquals(ErrorCode.INVALID_STREAM, assertThrows(EventLogException.class, () -> append("$sys", "1")).code());
        assertEquals(ErrorCode.INVALID_STREAM, assertThrows(EventLogException.class, () -> append("a b", "1")).code());
        assertEquals(ErrorCode.INVALID_HEADER, assertThrows(EventLogException.class, () -> node.append("s",
                new EventData("", Map.of(), "1".getBytes())).block()).code());
        assertEquals(ErrorCode.EMPTY_BODY, assertThrows(EventLogException.class,
                () -> node.append("s", List.of(), AppendOptions.DEFAULT).block()).code());
        assertEquals(List.of(), readLog(0));
    }

    @Test
    void multiLineJsonIsStoredOnOneLine() {
        append("s", "{\n  \"a\" : [1,\n 2]\n}\n");
        assertEquals("{\"a\":[1,2]}", readStream("s", 0).get(0).dataAsString());
    }

    @Test
    void expectedVersionIsEnforced() {
        AppendOptions noStream = AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.NO_STREAM);
        node.append("s", EventData.json("0"), noStream).block();
        WrongExpectedVersionException again = assertThrows(WrongExpectedVersionException.class,
                () -> node.append("s", EventData.json("\"x\""), noStream).block());
        assertEquals(-1, again.expected());
        assertEquals(0, again.actual());
        node.append("s", EventData.json("1"), AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(0)))
                .block();
        WrongExpectedVersionException stale = assertThrows(WrongExpectedVersionException.class, () -> node
                .append("s", EventData.json("\"x\""), AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(0)))
                .block());
        assertEquals(0, stale.expected());
        assertEquals(1, stale.actual());
        assertEquals(2, readStream("s", 0).size());
    }

    @Test
    void anIdempotencyKeyReturnsTheOriginalResultAndWritesNothingNew() {
        AppendOptions keyed = AppendOptions.DEFAULT.withIdempotencyKey("k1");
        AppendResult first = node.append("s", List.of(EventData.json("1"), EventData.json("2")), keyed).block();
        // The key is checked before Expected-Version, and a repeat's body is not compared.
        AppendResult repeat = node.append("s", EventData.json("\"other\""),
                keyed.withExpectedVersion(ExpectedVersion.NO_STREAM)).block();
        assertEquals(first, repeat);
        assertEquals(2, readLog(0).size());
        // The same key on another stream is another request.
        assertEquals(3, node.append("t", EventData.json("3"), keyed).block().offset());
    }

    @Test
    void onlySuccessfulAppendsRecordTheirKey() {
        append("s", "0");
        AppendOptions failing = new AppendOptions(ExpectedVersion.NO_STREAM, "k");
        assertThrows(WrongExpectedVersionException.class, () -> node.append("s", EventData.json("1"), failing).block());
        AppendResult retried = node.append("s", EventData.json("1"), failing.withExpectedVersion(ExpectedVersion.ANY))
                .block();
        assertEquals(1, retried.version());
    }

    @Test
    void anExpiredIdempotencyKeyAppendsAgain() {
        node.close();
        node = EventLogNode.open(NodeConfig.defaults(dir).withIdempotencyWindow(Duration.ZERO));
        AppendOptions keyed = AppendOptions.DEFAULT.withIdempotencyKey("k");
        node.append("s", EventData.json("1"), keyed).block();
        node.append("s", EventData.json("1"), keyed).block();
        assertEquals(2, readLog(0).size());
    }

    @Test
    void pastTheBoundOnKeysTheOldestKeyAppendsAgainAndTheNewerOnesStillAnswer() {
        node.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        node = EventLogNode.open(NodeConfig.defaults(dir).withMeterRegistry(registry)
                .withIdempotency(IdempotencyLimits.defaults().withMaxKeys(2)));
        AppendResult first = appendKeyed("1", "k1");
        AppendResult second = appendKeyed("2", "k2");
        AppendResult third = appendKeyed("3", "k3");

        assertEquals(third, appendKeyed("3", "k3"));
        assertEquals(second, appendKeyed("2", "k2"));
        assertEquals(first.offset() + 3, appendKeyed("1", "k1").offset(), "k1 was forgotten: appended again");
        assertEquals(4, readLog(0).size());
        assertEquals(2, registry.get("eventlog.idempotency.keys").gauge().value());
        assertEquals(2, registry.get("eventlog.idempotency.keys.dropped").functionCounter().count(), "k1, then k2");
    }

    private AppendResult appendKeyed(String json, String key) {
        return node.append("s", EventData.json(json), AppendOptions.DEFAULT.withIdempotencyKey(key)).block();
    }

    @Test
    void aRestartKeepsEntriesVersionsAndIdempotencyKeys() {
        AppendOptions keyed = AppendOptions.DEFAULT.withIdempotencyKey("k");
        AppendResult original = node.append("s", EventData.json("1"), keyed).block();
        append("s", "2");
        append("t", "3");
        List<Entry> before = readLog(0);
        node.close();

        node = EventLogNode.open(NodeConfig.defaults(dir));
        assertEquals(before, readLog(0));
        assertEquals(3, node.lastOffset());
        assertEquals(original, node.append("s", EventData.json("\"again\""), keyed).block());
        assertEquals(new AppendResult("s", 4, 2, 4, 2, 1), append("s", "4"));
    }

    @Test
    void readingAStreamThatDoesNotExistFailsWithStreamNotFound() {
        StepVerifier.create(node.read(ReadRequest.stream("nope", 0, 10)))
                .expectError(StreamNotFoundException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void aReadStopsAtItsLimit() {
        for (int i = 0; i < 10; i++) {
            append("s", Integer.toString(i));
        }
        assertEquals(List.of(3L, 4L, 5L), node.read(ReadRequest.stream("s", 3, 3)).map(Entry::version)
                .collectList().block());
        assertEquals(List.of(9L, 10L), node.read(ReadRequest.log(9, 5)).map(Entry::offset).collectList().block());
    }

    @Test
    void minOffsetWaitsForTheOffsetAndTimesOut() {
        node.close();
        node = EventLogNode.open(NodeConfig.defaults(dir).withMinOffsetTimeout(Duration.ofMillis(300)));
        EventLogException timeout = assertThrows(EventLogException.class,
                () -> node.read(ReadRequest.log(0, 10).withMinOffset(1)).collectList().block());
        assertEquals(ErrorCode.TIMEOUT, timeout.code());

        StepVerifier.create(node.read(ReadRequest.log(0, 10).withMinOffset(1)).map(Entry::offset))
                .then(() -> append("s", "1"))
                .expectNext(1L)
                .verifyComplete();
    }

    @Test
    void aSubscriptionDeliversHistoryThenLiveEntriesWithoutGapOrDuplicate() {
        for (int i = 0; i < 500; i++) {
            append("s", Integer.toString(i));
        }
        StepVerifier.create(node.subscribe(SubscribeRequest.stream("s", 0)).map(Entry::version).take(1000))
                .expectNextCount(200)
                .then(() -> node.append("s", java.util.stream.IntStream.range(500, 1000)
                        .mapToObj(i -> EventData.json(Integer.toString(i))).toList(), AppendOptions.DEFAULT)
                        .subscribe())
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(800)
                .consumeRecordedWith(versions -> assertEquals(
                        java.util.stream.LongStream.range(200, 1000).boxed().toList(), List.copyOf(versions)))
                .verifyComplete();
    }

    @Test
    void aSubscriptionFromTheEndSeesOnlyNewEntriesAndMayPrecedeItsStream() {
        append("other", "0");
        StepVerifier.create(node.subscribe(SubscribeRequest.streamFromEnd("later")).map(Entry::dataAsString).take(2))
                .then(() -> append("later", "\"a\""))
                .then(() -> append("other", "1"))
                .then(() -> append("later", "\"b\""))
                .expectNext("\"a\"", "\"b\"")
                .verifyComplete();
        StepVerifier.create(node.subscribe(SubscribeRequest.logFromEnd()).map(Entry::offset).take(1))
                .then(() -> append("x", "1"))
                .expectNext(5L)
                .verifyComplete();
    }

    @Test
    void aSubscriberGetsNoMoreThanItRequested() {
        for (int i = 0; i < 100; i++) {
            append("s", Integer.toString(i));
        }
        StepVerifier.create(node.subscribe(SubscribeRequest.log(0)), 5)
                .expectNextCount(5)
                .expectNoEvent(Duration.ofMillis(200))
                .thenRequest(10)
                .expectNextCount(10)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertEquals(0, node.subscriberCount());
    }

    @Test
    void closingTheNodeCompletesLiveSubscriptions() {
        StepVerifier.create(node.subscribe(SubscribeRequest.logFromEnd()))
                .then(() -> node.close())
                .verifyComplete();
        node = EventLogNode.open(NodeConfig.defaults(dir));
    }

    @Test
    void aSecondNodeCannotOpenTheSameDataDirectory() {
        EventLogException error = assertThrows(EventLogException.class,
                () -> EventLogNode.open(NodeConfig.defaults(dir)));
        assertTrue(error.getMessage().contains("in use"), error.getMessage());
    }

    @Test
    void fsyncDurabilityAppendsAndReads() {
        node.close();
        node = EventLogNode.open(NodeConfig.defaults(dir).withDurability(Durability.FSYNC));
        List<AppendResult> results = reactor.core.publisher.Flux.range(0, 200)
                .flatMap(i -> node.append("s" + (i % 7), EventData.json(Integer.toString(i))), 64)
                .collectList().block();
        assertEquals(200, results.size());
        assertEquals(200, readLog(0).size());
        assertInstanceOf(Long.class, node.lastOffset());
        assertEquals(200L, node.lastOffset());
    }
}

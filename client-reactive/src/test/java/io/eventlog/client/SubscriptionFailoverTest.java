package io.eventlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.balance.ReadBalancer;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/**
 * Subscriptions and reads against scripted nodes: a connection lost in the middle resumes on the
 * next node right after the last entry delivered; the node's errors surface with their codes.
 */
class SubscriptionFailoverTest {
    private final List<FakeNode> started = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        started.forEach(FakeNode::close);
    }

    @Test
    void aSubscriptionCutMidEntryResumesOnTheNextNodeAfterTheLastDeliveredEntry() {
        // Node 1 sends versions 0-4 and half of 5, then drops the connection.
        FakeNode first = node((request, response) -> response.header("Content-Type", "application/x-ndjson")
                .sendString(Flux.range(0, 5).map(v -> FakeNode.entry("s", 10 + v, v))
                        .concatWithValues(FakeNode.entry("s", 15, 5).substring(0, 20)))
                .then()
                .then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose))));
        FakeNode second = node((request, response) -> response.header("Content-Type", "application/x-ndjson")
                .sendString(Flux.range(5, 5).map(v -> FakeNode.entry("s", 10 + v, v)).concatWith(Flux.never())));
        try (EventLogClient client = EventLogClient.builder().nodes(first.address(), second.address())
                .readBalancer(ReadBalancer.roundRobin()).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            StepVerifier.create(client.subscribe(SubscribeRequest.stream("s", 0)).map(Entry::version))
                    .expectNext(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
        FakeNode.Request resumed = second.requests().get(0);
        assertEquals("/v1/streams/s/subscribe?from_version=5&min_offset=14", resumed.uri());
        assertEquals("application/x-ndjson", resumed.header("Accept"));
    }

    @Test
    void aSubscriptionTheNodeEndsResumesAndNeverRepeatsAnEntry() {
        FakeNode first = node((request, response) -> response.sendString(Flux.range(1, 3).map(o -> FakeNode.entry("a", o, o))));
        // The second node answers from further back than asked: the client drops what it already delivered.
        FakeNode second = node((request, response) -> response.sendString(
                Flux.range(2, 4).map(o -> FakeNode.entry("a", o, o)).concatWith(Flux.never())));
        try (EventLogClient client = EventLogClient.builder().nodes(first.address(), second.address())
                .readBalancer(ReadBalancer.roundRobin()).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            StepVerifier.create(client.subscribe(SubscribeRequest.log(1)).map(Entry::offset))
                    .expectNext(1L, 2L, 3L, 4L, 5L)
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals("/v1/log/subscribe?from_offset=4&min_offset=3", second.requests().get(0).uri());
    }

    @Test
    void aLogSubscriptionFromTheEndStartsAboveTheCommitIndexSoItCanResumeExactly() {
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 41, Map.of())
                : response.sendString(Flux.just(FakeNode.entry("x", 42, 0)).concatWith(Flux.never())));
        try (EventLogClient client = AppendFailoverTest.client(node.address())) {
            StepVerifier.create(client.subscribe(SubscribeRequest.logFromEnd()).map(Entry::offset))
                    .expectNext(42L)
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals("/v1/log/subscribe?from_offset=42", node.requests("/v1/log").get(0).uri());
    }

    @Test
    void aStreamSubscriptionFromTheEndLostBeforeItsFirstEntryResumesAboveTheCommitIndex() {
        FakeNode first = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 10, Map.of())
                : response.sendHeaders().then().then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose))));
        // From version 0 the second node sends the stream's history too: only entries above offset 10 are new.
        FakeNode second = node((request, response) -> response.sendString(Flux.just(FakeNode.entry("s", 5, 0),
                FakeNode.entry("s", 11, 1)).concatWith(Flux.never())));
        try (EventLogClient client = EventLogClient.builder().nodes(first.address(), second.address())
                .readBalancer(ReadBalancer.roundRobin()).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            StepVerifier.create(client.subscribe(SubscribeRequest.streamFromEnd("s")).map(Entry::offset))
                    .expectNext(11L)
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals("/v1/streams/s/subscribe", first.requests("/v1/streams").get(0).uri());
        assertEquals("/v1/streams/s/subscribe?from_version=0", second.requests().get(0).uri());
    }

    @Test
    void anErrorLineEndsTheSubscriptionWithItsCode() {
        FakeNode node = node((request, response) -> response.sendString(Flux.just(FakeNode.entry("a", 1, 0),
                "{\"error\":\"offset_expired\",\"message\":\"offset 2 is gone\"}\n")));
        try (EventLogClient client = AppendFailoverTest.client(node.address())) {
            StepVerifier.create(client.subscribe(SubscribeRequest.log(1)))
                    .expectNextCount(1)
                    .expectErrorSatisfies(e -> {
                        assertEquals(ErrorCode.OFFSET_EXPIRED, ((EventLogException) e).code());
                        assertEquals("offset 2 is gone", e.getMessage());
                    })
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals(1, node.requests().size(), "not retried");
    }

    @Test
    void aReadOfAMissingStreamFailsWithStreamNotFound() {
        FakeNode node = node((request, response) -> FakeNode.error(response, 404, "stream_not_found", "no stream"));
        try (EventLogClient client = AppendFailoverTest.client(node.address())) {
            StepVerifier.create(client.read(ReadRequest.stream("nope", 0, 10)))
                    .expectErrorSatisfies(e -> assertTrue(e instanceof StreamNotFoundException, e.toString()))
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void aReadCutShortIsFinishedByAnotherNode() {
        FakeNode first = node((request, response) -> response.sendString(Flux.range(0, 3).map(v -> FakeNode.entry("s", v + 1, v)))
                .then().then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose))));
        FakeNode second = node((request, response) -> response.sendString(Flux.range(3, 2).map(v -> FakeNode.entry("s", v + 1, v))));
        try (EventLogClient client = EventLogClient.builder().nodes(first.address(), second.address())
                .readBalancer(ReadBalancer.roundRobin()).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build()) {
            StepVerifier.create(client.read(ReadRequest.stream("s", 0, 5)).map(Entry::version))
                    .expectNext(0L, 1L, 2L, 3L, 4L)
                    .verifyComplete();
        }
        assertEquals("/v1/streams/s?from_version=3&limit=2&min_offset=3", second.requests().get(0).uri());
    }

    @Test
    void aReadLargerThanTheNodesCapIsFetchedInPages() {
        int streamLength = 25_000;
        FakeNode node = node((request, response) -> {
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            int from = Integer.parseInt(query.parameters().get("from_version").get(0));
            int limit = Math.min(10_000, Integer.parseInt(query.parameters().get("limit").get(0)));
            return response.sendString(Flux.range(from, Math.max(0, Math.min(limit, streamLength - from)))
                    .map(v -> FakeNode.entry("s", v + 1L, v)));
        });
        try (EventLogClient client = AppendFailoverTest.client(node.address())) {
            List<Long> versions = client.read(ReadRequest.stream("s", 0, 30_000)).map(Entry::version)
                    .collectList().block(Duration.ofSeconds(30));
            assertEquals(LongStream.range(0, streamLength).boxed().toList(), versions);
        }
        assertEquals(List.of("/v1/streams/s?from_version=0&limit=30000",
                "/v1/streams/s?from_version=10000&limit=20000&min_offset=10000",
                "/v1/streams/s?from_version=20000&limit=10000&min_offset=20000"),
                node.requests().stream().map(FakeNode.Request::uri).toList());
    }

    @Test
    void closingTheClientCompletesItsSubscriptionsAndRefusesNewCalls() {
        FakeNode node = node((request, response) -> response.sendString(Flux.just(FakeNode.entry("a", 1, 0))
                .concatWith(Flux.never())));
        EventLogClient client = AppendFailoverTest.client(node.address());
        StepVerifier.create(client.subscribe(SubscribeRequest.log(1)))
                .expectNextCount(1)
                .then(client::close)
                .verifyComplete();
        StepVerifier.create(client.read(ReadRequest.log(1, 10)))
                .expectErrorSatisfies(e -> assertEquals(ErrorCode.UNAVAILABLE, ((EventLogException) e).code()))
                .verify(Duration.ofSeconds(10));
    }

    private FakeNode node(BiFunction<FakeNode.Request, HttpServerResponse, Publisher<Void>> responder) {
        FakeNode node = new FakeNode(responder);
        started.add(node);
        return node;
    }
}

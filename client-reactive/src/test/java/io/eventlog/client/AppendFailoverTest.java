package io.eventlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/**
 * Appends against scripted nodes: they reach the leader, are retried through what can be retried
 * (with the same Idempotency-Key every time) and fail at once otherwise.
 */
class AppendFailoverTest {
    private final List<FakeNode> started = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        started.forEach(FakeNode::close);
    }

    @Test
    void retriesNoLeaderWithTheSameGeneratedKeyUntilTheAppendSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", null, 0, Map.of())
                : attempts.incrementAndGet() < 3
                ? FakeNode.error(response, 503, "no_leader", "election")
                : FakeNode.json(response, 201, FakeNode.appendResult("orders", 7, 0)));
        try (EventLogClient client = client(node.address())) {
            StepVerifier.create(client.append("orders", EventData.json("OrderPlaced", "{\"total\":1}")))
                    .expectNext(new AppendResult("orders", 7, 0, 7, 0, 1))
                    .verifyComplete();
        }
        List<FakeNode.Request> appends = node.requests("/v1/streams/");
        assertEquals(3, appends.size());
        String key = appends.get(0).header("Idempotency-Key");
        assertTrue(key != null && !key.isBlank(), "a key is generated");
        appends.forEach(append -> assertEquals(key, append.header("Idempotency-Key"), "every retry carries the key"));
        assertEquals("OrderPlaced", appends.get(0).header("Event-Type"));
        assertEquals("{\"total\":1}", appends.get(0).body());
    }

    @Test
    void closingTheClientFailsAnAppendStillWaitingAndRefusesNewOnes() {
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 0, Map.of())
                : Mono.never()); // the node never answers the append
        EventLogClient client = client(node.address());
        StepVerifier.create(client.append("s", EventData.json("{}")))
                .then(() -> awaitRequest(node, "/v1/streams/"))
                .then(client::close)
                .expectErrorSatisfies(e -> {
                    assertEquals(ErrorCode.UNAVAILABLE, ((EventLogException) e).code());
                    assertTrue(e.getMessage().contains("outcome is unknown"), e.getMessage());
                })
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(client.append("s", EventData.json("{}")))
                .expectErrorSatisfies(e -> assertEquals(ErrorCode.UNAVAILABLE, ((EventLogException) e).code()))
                .verify(Duration.ofSeconds(10));
    }

    private static void awaitRequest(FakeNode node, String pathPrefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.requests(pathPrefix).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the append reached the node");
            Thread.onSpinWait();
        }
    }

    @Test
    void sendsAppendsToTheLeaderAFollowerNamesAndFollowsARedirect() {
        FakeNode leader = node((request, response) -> FakeNode.json(response, 201, FakeNode.appendResult("s", 3, 1)));
        FakeNode oldLeader = node((request, response) -> response.status(307)
                .header("Location", "http://" + leader.address() + request.uri()).send());
        FakeNode follower = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "2", "1", 10, Map.of("1", oldLeader.address(), "2", "127.0.0.1:1"))
                : FakeNode.error(response, 500, "internal", "appends must not come here"));
        try (EventLogClient client = client(follower.address())) {
            StepVerifier.create(client.append("s", EventData.json("1"), AppendOptions.DEFAULT.withIdempotencyKey("k-1")))
                    .expectNextMatches(result -> result.offset() == 3)
                    .verifyComplete();
            StepVerifier.create(client.append("s", EventData.json("2"))).expectNextCount(1).verifyComplete();
        }
        assertEquals(0, follower.requests("/v1/streams/").size(), "the follower named the leader");
        assertEquals(1, oldLeader.requests("/v1/streams/").size(), "the redirect is remembered");
        assertEquals(2, leader.requests("/v1/streams/").size());
        assertEquals("k-1", leader.requests("/v1/streams/").get(0).header("Idempotency-Key"));
    }

    @Test
    void goesOnToAnotherNodeWhenTheFirstRefusesConnections() {
        FakeNode alive = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "2", null, 0, Map.of())
                : FakeNode.json(response, 201, FakeNode.appendResult("s", 1, 0)));
        try (EventLogClient client = client(deadAddress(), alive.address())) {
            StepVerifier.create(client.append("s", EventData.json("{}"))).expectNextCount(1).verifyComplete();
        }
        assertEquals(1, alive.requests("/v1/streams/").size());
    }

    @Test
    void failsAtOnceWithTheNodesErrorWhenRetryingCannotHelp() {
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 0, Map.of())
                : FakeNode.error(response, 413, "too_large", "the body exceeds 1048576 bytes"));
        try (EventLogClient client = client(node.address())) {
            StepVerifier.create(client.append("s", EventData.json("{}")))
                    .expectErrorSatisfies(e -> {
                        assertEquals(ErrorCode.TOO_LARGE, ((EventLogException) e).code());
                        assertEquals("the body exceeds 1048576 bytes", e.getMessage());
                    })
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals(1, node.requests("/v1/streams/").size(), "not retried");
    }

    @Test
    void givesUpAfterMaxAttemptsSayingWhichKeyFindsTheOutcome() {
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 0, Map.of())
                : FakeNode.error(response, 504, "timeout", "the leader did not confirm"));
        try (EventLogClient client = EventLogClient.builder().nodes(node.address()).maxAttempts(3)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            StepVerifier.create(client.append("s", EventData.json("{}"), AppendOptions.DEFAULT.withIdempotencyKey("pay-9")))
                    .expectErrorSatisfies(e -> {
                        assertEquals(ErrorCode.TIMEOUT, ((EventLogException) e).code());
                        assertTrue(e.getMessage().contains("pay-9"), e.getMessage());
                    })
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals(3, node.requests("/v1/streams/").size());
    }

    @Test
    void refusesABatchWhoseEventsDifferInTypeWithoutSendingIt() {
        FakeNode node = node((request, response) -> FakeNode.cluster(response, "1", "1", 0, Map.of()));
        try (EventLogClient client = client(node.address())) {
            StepVerifier.create(client.append("s", List.of(EventData.json("A", "1"), EventData.json("B", "2")),
                            AppendOptions.DEFAULT))
                    .expectErrorSatisfies(e -> assertEquals(ErrorCode.INVALID_PARAMETER, ((EventLogException) e).code()))
                    .verify(Duration.ofSeconds(10));
        }
        assertEquals(0, node.requests("/v1/streams/").size());
    }

    @Test
    void sendsABatchAsNdjsonWithTheExpectedVersion() {
        FakeNode node = node((request, response) -> request.uri().equals("/v1/cluster")
                ? FakeNode.cluster(response, "1", "1", 0, Map.of())
                : FakeNode.json(response, 201, "{\"stream\":\"s\",\"offset\":5,\"version\":4,\"first_offset\":4,"
                        + "\"first_version\":3,\"count\":2}"));
        try (EventLogClient client = client(node.address())) {
            StepVerifier.create(client.append("s", List.of(EventData.json("T", "{\"a\":\n1}"), EventData.json("T", "2")),
                            AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(2))))
                    .expectNext(new AppendResult("s", 5, 4, 4, 3, 2))
                    .verifyComplete();
        }
        FakeNode.Request batch = node.requests("/v1/streams/").get(0);
        assertEquals("application/x-ndjson", batch.header("Content-Type"));
        assertEquals("2", batch.header("Expected-Version"));
        assertEquals("{\"a\": 1}\n2\n", batch.body());
    }

    private FakeNode node(BiFunction<FakeNode.Request, HttpServerResponse, Publisher<Void>> responder) {
        FakeNode node = new FakeNode(responder);
        started.add(node);
        return node;
    }

    static EventLogClient client(String... nodes) {
        return EventLogClient.builder().nodes(nodes).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    }

    /** An address nothing listens on: connections are refused. */
    static String deadAddress() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

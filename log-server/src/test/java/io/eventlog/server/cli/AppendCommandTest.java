package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class AppendCommandTest {
    private static final String RESULT =
            "{\"stream\":\"orders-1\",\"offset\":1042,\"version\":3,\"first_offset\":1042,\"first_version\":3,\"count\":1}";
    private static final String BATCH_RESULT =
            "{\"stream\":\"orders-1\",\"offset\":11,\"version\":2,\"first_offset\":9,\"first_version\":0,\"count\":3}";

    private StubNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void appendsOneEventWithEveryOption() {
        node = StubNode.start(request -> Reply.json(201, RESULT));

        Cli.Result result = Cli.run("append", "orders-1", "{\"item\":\"book\",\"qty\":2}", "--url", node.url(),
                "--type", "OrderPlaced", "--header", "Source=cli", "--header", "trace=abc 1",
                "--expected-version", "2", "--idempotency-key", "order-17-placed");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(RESULT + System.lineSeparator(), result.out());
        assertEquals("", result.err());
        Request request = single(node.requests());
        assertEquals("POST", request.method());
        assertEquals("/v1/streams/orders-1", request.uri());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("OrderPlaced", request.header("Event-Type"));
        assertEquals("cli", request.header("Event-Header-Source"));
        assertEquals("abc 1", request.header("Event-Header-trace"));
        assertEquals("2", request.header("Expected-Version"));
        assertEquals("order-17-placed", request.header("Idempotency-Key"));
        assertEquals("{\"item\":\"book\",\"qty\":2}", request.body());
    }

    @Test
    void sendsStdinAsOneNdjsonBatchAndOnlyTheHeadersGiven() {
        node = StubNode.start(request -> Reply.json(201, BATCH_RESULT + "\n"));
        String ndjson = "{\"n\":1}\n{\"n\":2}\n\n{\"n\":3}\n";

        Cli.Result result = Cli.runWithStdin(ndjson, "append", "orders-1", "--url", node.url(),
                "--expected-version", "no-stream");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(BATCH_RESULT + System.lineSeparator(), result.out());
        Request request = single(node.requests());
        assertEquals("POST", request.method());
        assertEquals("application/x-ndjson", request.header("Content-Type"));
        assertEquals(ndjson, request.body());
        assertEquals("no-stream", request.header("Expected-Version"));
        assertNull(request.header("Event-Type"));
        assertNull(request.header("Idempotency-Key"));
        assertTrue(request.headers().names().stream().noneMatch(name -> name.toLowerCase().startsWith("event-header-")));
    }

    @Test
    void percentEncodesTheStreamNameInThePath() {
        node = StubNode.start(request -> Reply.json(201, RESULT));

        Cli.Result result = Cli.run("append", "tenant:eu.orders", "1", "--url", node.url(), "--expected-version", "any");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("/v1/streams/tenant%3Aeu.orders", single(node.requests()).uri());
        assertEquals("any", single(node.requests()).header("Expected-Version"));
    }

    @Test
    void wrongExpectedVersionExitsWith4AndShowsExpectedAndActual() {
        node = StubNode.start(request -> Reply.json(409, "{\"error\":\"wrong_expected_version\","
                + "\"message\":\"stream 'orders-1' is at version 5, the append expected 3\",\"expected\":3,\"actual\":5}"));

        Cli.Result result = Cli.run("append", "orders-1", "{}", "--url", node.url(), "--expected-version", "3");

        assertEquals(4, result.exitCode());
        assertEquals("", result.out());
        assertEquals("eventlog: HTTP 409 wrong_expected_version: stream 'orders-1' is at version 5, the append expected 3"
                + " (expected 3, actual 5)" + System.lineSeparator(), result.err());
    }

    @Test
    void invalidJsonExitsWith2AndShowsTheServersCodeAndMessage() {
        node = StubNode.start(request -> Reply.error(400, "invalid_json", "unexpected end of input at byte 7"));

        Cli.Result result = Cli.run("append", "orders-1", "{\"a\":", "--url", node.url());

        assertEquals(2, result.exitCode());
        assertEquals("", result.out());
        assertEquals("eventlog: HTTP 400 invalid_json: unexpected end of input at byte 7" + System.lineSeparator(),
                result.err());
        assertEquals("{\"a\":", single(node.requests()).body());
    }

    @Test
    void followsAFollowersRedirectToTheLeaderWithTheSameMethodAndBody() {
        node = StubNode.start(request -> request.path().startsWith("/leader/")
                ? Reply.json(201, RESULT)
                : new Reply(307, Map.of("Location", "/leader" + request.uri()), Mono.empty()));

        Cli.Result result = Cli.run("append", "orders-1", "{\"x\":1}", "--url", node.url(), "--type", "T");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(RESULT + System.lineSeparator(), result.out());
        List<Request> requests = node.requests();
        assertEquals(2, requests.size());
        Request atLeader = requests.get(1);
        assertEquals("POST", atLeader.method());
        assertEquals("/leader/v1/streams/orders-1", atLeader.uri());
        assertEquals("{\"x\":1}", atLeader.body());
        assertEquals("T", atLeader.header("Event-Type"));
    }

    @Test
    void rejectsBadOptionsWithoutSendingAnything() {
        node = StubNode.start(request -> Reply.json(201, RESULT));

        Cli.Result badVersion = Cli.run("append", "s", "{}", "--url", node.url(), "--expected-version", "latest");
        Cli.Result badHeader = Cli.run("append", "s", "{}", "--url", node.url(), "--header", "bad name=v");
        Cli.Result noStream = Cli.run("append", "--url", node.url());

        badVersion.assertFailed(2, "'latest' is not a version >= 0, 'any' or 'no-stream'");
        badHeader.assertFailed(2, "--header name 'bad name' is not a valid HTTP header name");
        noStream.assertFailed(2, "Missing required parameter: 'STREAM'");
        assertEquals(0, node.requestCount());
    }

    static Request single(List<Request> requests) {
        assertEquals(1, requests.size(), () -> "requests: " + requests);
        return requests.get(0);
    }
}

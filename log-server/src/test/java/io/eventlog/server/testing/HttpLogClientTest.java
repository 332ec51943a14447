package io.eventlog.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.StubNode;
import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.testing.history.EntryRef;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.Op;
import io.eventlog.server.testing.history.Op.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link HttpLogClient} against stub nodes: each outcome is classified per API.md and recorded. */
class HttpLogClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** For what arrives on its own: only a failing test waits this long. */
    private static final Duration LOADED_MACHINE_WAIT = Duration.ofSeconds(20);

    private final History history = History.inMemory();
    private StubNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void a201IsAnOkWithTheAcknowledgedPositionAndTheRequestCarriesThePayloadAndKey() {
        node = StubNode.start(request -> Reply.json(201, "{\"stream\":\"s1\",\"offset\":7,\"version\":2,"
                + "\"first_offset\":7,\"first_version\":2,\"count\":1}"));
        Op ok = client().append(history, "w1", "s1", "p-1", "k-1");

        assertEquals(Phase.OK, ok.phase());
        assertEquals(List.of(7L, 2L, 0L), List.of(ok.offset(), ok.version(), ok.invoke()));
        StubNode.Request sent = node.requests().get(0);
        assertEquals("/v1/streams/s1", sent.uri());
        assertEquals("{\"id\":\"p-1\"}", sent.body());
        assertEquals("k-1", sent.header("Idempotency-Key"));
        assertEquals(List.of(Phase.INVOKE, Phase.OK), history.ops().stream().map(Op::phase).toList());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "400, invalid_json, FAIL",
        "409, wrong_expected_version, FAIL",
        "413, too_large, FAIL",
        "415, unsupported_media_type, FAIL",
        "503, no_leader, FAIL",
        "408, timeout, INFO",
        "500, internal, INFO",
        "502, bad_gateway, INFO",
        "503, unavailable, INFO",
        "504, timeout, INFO"})
    void errorAnswersAreFailuresOnlyWhenNothingWasApplied(int status, String code, Phase expected) {
        node = StubNode.start(request -> Reply.error(status, code, "stub"));
        Op outcome = client().append(history, "w1", "s1", "p-1", null);

        assertEquals(expected, outcome.phase());
        assertTrue(outcome.error().startsWith("HTTP " + status + " {\"error\":\"" + code + "\""), outcome.error());
    }

    @Test
    void aNodeThatRefusesTheConnectionDefinitelyDidNotApply() throws IOException {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        Op outcome = new HttpLogClient(URI.create("http://127.0.0.1:" + closedPort), TIMEOUT)
                .append(history, "w1", "s1", "p-1", null);
        assertEquals(Phase.FAIL, outcome.phase(), outcome.error());
    }

    @Test
    void noAnswerWithinTheTimeoutIsIndeterminate() {
        node = StubNode.start(request -> new Reply(201, Map.of(), Mono.never()));
        Op outcome = client().append(history, "w1", "s1", "p-1", null);
        assertEquals(Phase.INFO, outcome.phase());
        assertTrue(outcome.error().contains("no answer within 2000 ms"), outcome.error());
    }

    @Test
    void aConnectionClosedAfterTheRequestIsIndeterminate() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    in.read(); // the request has arrived: the node may have applied it
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            closer.start();
            Op outcome = new HttpLogClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), TIMEOUT)
                    .append(history, "w1", "s1", "p-1", null);
            closer.join();
            assertEquals(Phase.INFO, outcome.phase(), outcome.error());
        }
    }

    @Test
    void aFullReadPagesThroughTheLogWaitingForMinOffsetOnTheFirstPage() {
        node = StubNode.start(request -> Reply.ndjson(Flux.fromIterable(switch (request.query()) {
            case "from_offset=0&limit=10000&min_offset=3" -> List.of(entry(1, "s1", 0, "p-1"), entry(3, "s2", 0, "p-2"));
            case "from_offset=4&limit=10000" -> List.of(entry(4, "s1", 1, "p-3"));
            default -> List.<String>of();
        })));
        Op read = client().readLog(history, "final", 3);

        assertEquals(Phase.OK, read.phase());
        assertEquals(List.of(new EntryRef(1, "s1", 0, "p-1"), new EntryRef(3, "s2", 0, "p-2"),
                new EntryRef(4, "s1", 1, "p-3")), read.entries());
        assertEquals(List.of("from_offset=0&limit=10000&min_offset=3", "from_offset=4&limit=10000",
                "from_offset=5&limit=10000"), node.requests().stream().map(StubNode.Request::query).toList());
    }

    @Test
    void aSubscriptionRecordsEachDeliveryAndItsEndAndResumesElsewhereAfterTheLastEventId() throws Exception {
        node = StubNode.start(request -> Reply.ndjson(Flux.just(entry(1, "s1", 0, "p-1"), entry(2, "s1", 1, "p-2"),
                "{\"error\":\"unavailable\",\"message\":\"stopping\"}\n")));
        LogSubscription first = client().subscribe(history, "reader", "sub-1", null, 1);
        assertTrue(first.awaitEnd(TIMEOUT));
        assertEquals(2, first.lastPosition());
        assertTrue(first.endedBecause().startsWith("error line"), first.endedBecause());
        assertEquals("from_offset=1", node.requests().get(0).query());

        try (StubNode other = StubNode.start(request -> Reply.ndjson(Flux.concat(
                Flux.just(entry(3, "s2", 0, "p-3")), Flux.never())))) {
            HttpLogClient client = new HttpLogClient(URI.create(other.url()), TIMEOUT);
            try (LogSubscription resumed = client.resume(history, first)) {
                assertTrue(resumed.awaitPosition(3, TIMEOUT));
                assertEquals("2", other.requests().get(0).header("Last-Event-ID"));
                assertEquals("/v1/log/subscribe", other.requests().get(0).uri());
            }
        }
        List<String> recorded = history.ops().stream().map(op -> op.phase() + " " + (op.payload() != null
                ? op.payload() : op.lastEventId() != null ? "after " + op.lastEventId() : op.error())).toList();
        assertEquals(List.of("INVOKE null", "OK p-1", "OK p-2", "INFO error line: {\"error\":\"unavailable\","
                + "\"message\":\"stopping\"}", "INVOKE after 2", "OK p-3", "INFO closed by the test"), recorded);
    }

    @Test
    void anSseSubscriptionResumesWithTheLastEventIdItWasSent() throws Exception {
        // The ids here differ from the offsets on purpose: a resume must send what the server said.
        node = StubNode.start(request -> new Reply(200, Map.of("Content-Type", "text/event-stream"), Flux.just(
                ":heartbeat\n\n", sse(41, entry(1, "s1", 0, "p-1")), sse(42, entry(2, "s1", 1, "p-2")),
                "event: error\ndata: {\"error\":\"unavailable\",\"message\":\"stopping\"}\n\n")));
        LogSubscription first = client().subscribeSse(history, "reader", "sub-1", null, 1);
        assertTrue(first.awaitEnd(LOADED_MACHINE_WAIT), () -> history.ops().toString());
        assertEquals("text/event-stream", node.requests().get(0).header("Accept"));
        assertEquals(42, first.lastPosition());
        assertTrue(first.endedBecause().startsWith("SSE event error"), first.endedBecause());

        try (StubNode other = StubNode.start(request -> new Reply(200, Map.of("Content-Type", "text/event-stream"),
                Flux.concat(Flux.just(sse(43, entry(3, "s2", 0, "p-3"))), Flux.never())))) {
            try (LogSubscription resumed = new HttpLogClient(URI.create(other.url()), TIMEOUT).resume(history, first)) {
                assertTrue(resumed.awaitPosition(43, LOADED_MACHINE_WAIT));
                assertEquals("42", other.requests().get(0).header("Last-Event-ID"));
                assertEquals("text/event-stream", other.requests().get(0).header("Accept"));
            }
        }
        assertEquals(List.of("p-1", "p-2", "p-3"), history.ops().stream().filter(op -> op.phase() == Phase.OK)
                .map(Op::payload).toList());
    }

    private HttpLogClient client() {
        return new HttpLogClient(URI.create(node.url()), TIMEOUT);
    }

    private static String entry(long offset, String stream, long version, String payload) {
        return "{\"offset\":" + offset + ",\"stream\":\"" + stream + "\",\"version\":" + version
                + ",\"timestamp\":1,\"data\":{\"id\":\"" + payload + "\"}}\n";
    }

    private static String sse(long id, String entryLine) {
        return "id: " + id + "\nevent: entry\ndata: " + entryLine.strip() + "\n\n";
    }
}

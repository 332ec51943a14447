package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Header, body, query and path parsing, without a server. */
class RequestParsingTest {
    private final AppendRequestParser appends = new AppendRequestParser(3);
    private final ReadRequestParser reads = new ReadRequestParser(HttpConfig.defaults().withReadLimits(100, 500));

    @Test
    void appendHeadersBecomeOptionsTypeAndLowerCasedEntryHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Content-Type", "application/x-ndjson")
                .add("Expected-Version", "41")
                .add("Idempotency-Key", "key-1")
                .add("Event-Type", "Placed")
                .add("Event-Header-Trace-Id", "T1")
                .add("EVENT-HEADER-Tenant", "acme");
        AppendRequestParser.Head head = appends.head("orders", headers);
        assertEquals(MediaTypes.BodyFormat.NDJSON, head.format());
        assertEquals(ExpectedVersion.exactly(41), head.options().expectedVersion());
        assertEquals("key-1", head.options().idempotencyKey());
        assertEquals("Placed", head.type());
        assertEquals(Map.of("trace-id", "T1", "tenant", "acme"), head.eventHeaders());
    }

    @Test
    void expectedVersionSpellings() {
        assertEquals(ExpectedVersion.ANY, AppendRequestParser.expectedVersion(null));
        assertEquals(ExpectedVersion.ANY, AppendRequestParser.expectedVersion("any"));
        assertEquals(ExpectedVersion.NO_STREAM, AppendRequestParser.expectedVersion("-1"));
        assertEquals(ExpectedVersion.NO_STREAM, AppendRequestParser.expectedVersion("no-stream"));
        assertEquals(ExpectedVersion.exactly(0), AppendRequestParser.expectedVersion("0"));
        EventLogException e = assertThrows(EventLogException.class, () -> AppendRequestParser.expectedVersion("-3"));
        assertEquals(ErrorCode.INVALID_HEADER, e.code());
    }

    @Test
    void aRepeatedConditionHeaderIsRefused() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Expected-Version", "1").add("Expected-Version", "2");
        EventLogException e = assertThrows(EventLogException.class, () -> appends.head("s", headers));
        assertEquals(ErrorCode.INVALID_HEADER, e.code());
    }

    @Test
    void ndjsonBatchesSkipBlankLinesTrimAndCount() {
        AppendRequestParser.Head head = appends.head("s",
                new DefaultHttpHeaders().add("Content-Type", "application/x-ndjson"));
        List<EventData> events = appends.events(head, bytes("\r\n {\"a\":1} \r\n\n\t[2]\n3"));
        assertEquals(List.of("{\"a\":1}", "[2]", "3"),
                events.stream().map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList());
        EventLogException tooMany = assertThrows(EventLogException.class,
                () -> appends.events(head, bytes("1\n2\n3\n4\n")));
        assertEquals(ErrorCode.TOO_LARGE, tooMany.code());
    }

    @Test
    void aSingleEventBodyIsTrimmedButKeptWhole() {
        AppendRequestParser.Head head = appends.head("s", new DefaultHttpHeaders());
        List<EventData> events = appends.events(head, bytes("\n {\n \"a\": [1,\n 2]\n}\n"));
        assertEquals(1, events.size());
        assertEquals("{\n \"a\": [1,\n 2]\n}", new String(events.get(0).data(), StandardCharsets.UTF_8));
    }

    @Test
    void readsDefaultAndCapTheLimit() {
        ReadRequest defaults = reads.read("s", QueryParams.of("/v1/streams/s"));
        assertEquals(new ReadRequest("s", 0, 100, -1), defaults);
        ReadRequest capped = reads.read(null, QueryParams.of("/v1/log?from_offset=7&limit=9999999999&min_offset=3"));
        assertEquals(new ReadRequest(null, 7, 500, 3), capped);
    }

    @Test
    void subscriptionsStartAtTheEndFromAPositionOrAfterTheLastEventId() {
        assertEquals(SubscribeRequest.streamFromEnd("s"), reads.subscribe("s", QueryParams.of("/x"), null));
        assertEquals(SubscribeRequest.log(5), reads.subscribe(null, QueryParams.of("/x?from_offset=5"), null));
        assertEquals(SubscribeRequest.stream("s", 8), reads.subscribe("s", QueryParams.of("/x?from_version=2"), "7"));
        EventLogException e = assertThrows(EventLogException.class,
                () -> reads.subscribe("s", QueryParams.of("/x"), "9223372036854775807"));
        assertEquals(ErrorCode.INVALID_HEADER, e.code());
    }

    @Test
    void routerAnswersNotFoundAndMethodNotAllowedWithAllow() {
        Router.Handler none = (request, response, stream) -> Mono.empty();
        Router router = new Router().add(HttpMethod.POST, "/v1/streams/{stream}", none)
                .add(HttpMethod.GET, "/v1/streams/{stream}", none)
                .add(HttpMethod.GET, "/v1/log", none);
        Router.Match match = router.match(HttpMethod.GET, "/v1/streams/a%3Ab");
        assertEquals("/v1/streams/{stream}", match.route());
        assertEquals("a:b", match.param());
        MethodNotAllowedException notAllowed = assertThrows(MethodNotAllowedException.class,
                () -> router.match(HttpMethod.DELETE, "/v1/streams/a"));
        assertEquals("POST, GET", notAllowed.allowHeader());
        EventLogException notFound = assertThrows(EventLogException.class,
                () -> router.match(HttpMethod.GET, "/v1/streams/a/b/c"));
        assertEquals(ErrorCode.NOT_FOUND, notFound.code());
    }

    @Test
    void pathsLoseQueryFragmentAndAbsoluteFormPrefix() {
        assertEquals("/v1/log", HttpApi.path("/v1/log?from_offset=1#x"));
        assertEquals("/v1/log", HttpApi.path("http://host:7070/v1/log?x=1"));
        assertTrue(HttpApi.path("/").equals("/"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

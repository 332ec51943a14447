package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventlog.api.EventData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Live subscriptions over SSE and NDJSON: catch-up then live with no gap or duplicate, resume, limits. */
@Timeout(60)
class SubscriptionTest {
    @TempDir
    Path dir;
    TestServer http;

    @BeforeEach
    void start() {
        http = new TestServer(dir, c -> c.withHeartbeatInterval(Duration.ofMillis(300)).withMaxSubscribers(2));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    /** One SSE event: its fields, or a comment. */
    record SseEvent(String id, String event, String data, String comment) {
        JsonNode json() throws IOException {
            return TestServer.MAPPER.readTree(data);
        }
    }

    static SseEvent nextEvent(InputStream body) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        String comment = null;
        for (String line = RawHttp.readLine(body); line != null; line = RawHttp.readLine(body)) {
            if (line.isEmpty()) {
                if (!fields.isEmpty() || comment != null) {
                    return new SseEvent(fields.get("id"), fields.get("event"), fields.get("data"), comment);
                }
                continue;
            }
            if (line.startsWith(":")) {
                comment = line.substring(1);
                continue;
            }
            int colon = line.indexOf(':');
            String value = line.substring(colon + 1);
            fields.merge(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value,
                    (a, b) -> a + "\n" + b);
        }
        throw new IOException("the stream ended");
    }

    static SseEvent nextEntry(InputStream body) throws IOException {
        SseEvent event;
        do {
            event = nextEvent(body);
        } while (event.comment() != null && event.data() == null);
        return event;
    }

    private void appendToNode(String stream, int from, int count) {
        for (int i = from; i < from + count; i++) {
            http.server.node().append(stream, EventData.json("{\"n\":" + i + "}")).block(Duration.ofSeconds(10));
        }
    }

    /** Appends over HTTP from another thread while the subscriber reads. */
    private CompletableFuture<Void> appendLive(String stream, int from, int count) {
        return CompletableFuture.runAsync(() -> {
            for (int i = from; i < from + count; i++) {
                assertEquals(201, http.post("/v1/streams/" + stream, "{\"n\":" + i + "}").status());
            }
        });
    }

    @Test
    void sseDeliversCatchUpThenLiveWithoutGapOrDuplicate() throws Exception {
        appendToNode("seam", 0, 50);
        try (RawHttp sse = RawHttp.connect(http.server.port(), 0)
                .get("/v1/streams/seam/subscribe?from_version=0", "Accept", "text/event-stream")) {
            assertEquals(200, sse.status);
            assertEquals("text/event-stream", sse.headers.get("content-type"));
            InputStream body = sse.body();
            CompletableFuture<Void> live = appendLive("seam", 50, 50);
            for (int version = 0; version < 100; version++) {
                SseEvent event = nextEntry(body);
                assertEquals("entry", event.event());
                assertEquals(Integer.toString(version), event.id());
                JsonNode entry = event.json();
                assertEquals(version, entry.get("version").asLong());
                assertEquals(version, entry.get("data").get("n").asInt());
            }
            live.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void ndjsonOfTheGlobalLogDeliversCatchUpThenLive() throws Exception {
        appendToNode("a", 0, 30);
        try (RawHttp ndjson = RawHttp.connect(http.server.port(), 0)
                .get("/v1/log/subscribe?from_offset=1", "Accept", "*/*")) {
            assertEquals(200, ndjson.status);
            assertEquals("application/x-ndjson", ndjson.headers.get("content-type"));
            InputStream body = ndjson.body();
            CompletableFuture<Void> live = appendLive("b", 0, 30);
            long lastOffset = 0;
            List<String> streams = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                JsonNode entry = TestServer.MAPPER.readTree(RawHttp.readLine(body));
                assertEquals(lastOffset + 1, entry.get("offset").asLong(), entry.toString());
                lastOffset = entry.get("offset").asLong();
                streams.add(entry.get("stream").asText());
            }
            assertEquals(30, streams.stream().filter("a"::equals).count());
            assertEquals(30, streams.stream().filter("b"::equals).count());
            live.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void lastEventIdResumesAfterThatIdAndWinsOverFrom() throws Exception {
        appendToNode("resume", 0, 60);
        try (RawHttp sse = RawHttp.connect(http.server.port(), 0).get("/v1/streams/resume/subscribe?from_version=0",
                "Accept", "text/event-stream", "Last-Event-ID", "41")) {
            InputStream body = sse.body();
            for (int version = 42; version < 60; version++) {
                assertEquals(Integer.toString(version), nextEntry(body).id());
            }
        }
        try (RawHttp sse = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe",
                "Accept", "text/event-stream", "Last-Event-ID", "10")) {
            SseEvent event = nextEntry(sse.body());
            assertEquals("11", event.id());
            assertEquals(11, event.json().get("offset").asLong());
        }
    }

    @Test
    void withoutFromOnlyNewEntriesArriveAndAFutureStreamMayBeSubscribed() throws Exception {
        appendToNode("existing", 0, 10);
        try (RawHttp existing = RawHttp.connect(http.server.port(), 0).get("/v1/streams/existing/subscribe");
             RawHttp future = RawHttp.connect(http.server.port(), 0).get("/v1/streams/future/subscribe",
                     "Accept", "text/event-stream")) {
            assertEquals(200, existing.status);
            assertEquals(200, future.status);
            Thread.sleep(300);
            appendToNode("existing", 10, 1);
            appendToNode("future", 0, 1);
            JsonNode next = TestServer.MAPPER.readTree(RawHttp.readLine(existing.body()));
            assertEquals(10, next.get("version").asLong());
            SseEvent first = nextEntry(future.body());
            assertEquals("0", first.id());
            assertEquals("future", first.json().get("stream").asText());
        }
    }

    @Test
    void anIdleSseSubscriptionGetsHeartbeatComments() throws Exception {
        try (RawHttp sse = RawHttp.connect(http.server.port(), 0)
                .get("/v1/log/subscribe", "Accept", "text/event-stream")) {
            long start = System.nanoTime();
            SseEvent heartbeat = nextEvent(sse.body());
            assertEquals("heartbeat", heartbeat.comment());
            assertEquals(null, heartbeat.data());
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 250 && waitedMs < 2000, "heartbeat after " + waitedMs + " ms");
            assertEquals("heartbeat", nextEvent(sse.body()).comment());
        }
    }

    @Test
    void subscriptionsBeyondTheLimitAre429AndPlacesAreFreedOnDisconnect() throws Exception {
        RawHttp first = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe");
        try (RawHttp second = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe")) {
            assertEquals(200, first.status);
            assertEquals(200, second.status);
            TestServer.Response refused = http.get("/v1/log/subscribe");
            assertEquals(429, refused.status());
            assertEquals("too_many_subscribers", refused.errorCode());

            first.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (http.server.httpSubscribers() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, http.server.httpSubscribers());
            try (RawHttp third = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe")) {
                assertEquals(200, third.status);
            }
        }
    }

    @Test
    void closingTheServerEndsLiveSubscriptions() throws Exception {
        try (RawHttp ndjson = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe");
             RawHttp sse = RawHttp.connect(http.server.port(), 0).get("/v1/log/subscribe",
                     "Accept", "text/event-stream")) {
            assertEquals(200, ndjson.status);
            assertEquals(200, sse.status);
            http.close();
            assertEquals(null, RawHttp.readLine(ndjson.body()));
            byte[] rest = sse.body().readAllBytes();
            assertTrue(new String(rest, java.nio.charset.StandardCharsets.UTF_8).chars().allMatch(c -> c != '{'),
                    "no entry after close");
        }
    }
}

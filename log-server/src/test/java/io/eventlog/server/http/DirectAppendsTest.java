package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends served without reactor-netty ({@link DirectAppends}) on connections that also carry other
 * requests: answers in request order when pipelined, bodies arriving in pieces, Connection: close,
 * and the request metrics.
 */
@Timeout(60)
class DirectAppendsTest {
    @TempDir
    Path dir;
    TestServer http;

    @BeforeEach
    void start() {
        http = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static String post(String path, String body, String... headerPairs) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        boolean typed = false;
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
            typed |= headerPairs[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.append("Content-Type: application/json\r\n");
        }
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return request.append("Content-Length: ").append(length).append("\r\n\r\n").append(body).toString();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return TestServer.MAPPER.readTree(body);
        }
    }

    private static Answer next(RawHttp raw) throws IOException {
        raw.readHead();
        return new Answer(raw.status, raw.bodyText());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhetherServedDirectlyOrNot() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write(post("/v1/streams/p", "{\"n\":1}")
                    + get("/v1/streams/p")
                    + post("/v1/streams/p", "{\"n\":2}")
                    + post("/v1/streams/p", "{\"n\":3}", "Expected-Version", "0")
                    + get("/health/live")
                    + post("/v1/streams/p", "{\"n\":4}")
                    + post("/v1/streams/p", "x\n", "Content-Type", "application/x-ndjson"));
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                answers.add(next(raw));
            }
            assertEquals(List.of(201, 200, 201, 409, 200, 201, 400), answers.stream().map(Answer::status).toList(),
                    answers.toString());
            assertEquals(0, answers.get(0).json().get("version").asLong());
            JsonNode read = answers.get(1).json();
            assertEquals(1, read.size(), "the read saw the append before it, and only that one");
            assertEquals(1, read.get(0).get("data").get("n").asInt());
            assertEquals(1, answers.get(2).json().get("version").asLong());
            assertEquals("wrong_expected_version", answers.get(3).json().get("error").asText());
            assertEquals("{\"status\":\"live\"}", answers.get(4).body());
            assertEquals(2, answers.get(5).json().get("version").asLong());
        }
        JsonNode stored = http.get("/v1/streams/p").json();
        assertEquals(3, stored.size(), "events 1, 2 and 4 are stored; the 409 and the bad batch changed nothing");
    }

    @Test
    void aBodyArrivingInPiecesIsAppendedWhole() throws Exception {
        String body = "{\"piece\":\"" + "x".repeat(3000) + "\"}";
        String request = post("/v1/streams/pieces", body);
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            int cut1 = request.indexOf("\r\n\r\n") + 10;
            int cut2 = request.length() - 7;
            raw.write(request.substring(0, cut1));
            Thread.sleep(100);
            raw.write(request.substring(cut1, cut2));
            Thread.sleep(100);
            raw.write(request.substring(cut2));
            Answer answer = next(raw);
            assertEquals(201, answer.status(), answer.body());
            // the connection goes on with the next request
            raw.write(post("/v1/streams/pieces", "{\"second\":true}"));
            assertEquals(201, next(raw).status());
        }
        JsonNode stored = http.get("/v1/streams/pieces").json();
        assertEquals(2, stored.size());
        assertEquals(3000, stored.get(0).get("data").get("piece").asText().length());
    }

    @Test
    void aBatchLargerThanTheFirstBufferIsAppendedWhole() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            batch.append("{\"i\":").append(i).append(",\"pad\":\"").append("p".repeat(50)).append("\"}\n");
        }
        assertTrue(batch.length() > 64 * 1024);
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write(post("/v1/streams/big", batch.toString(), "Content-Type", "application/x-ndjson"));
            Answer answer = next(raw);
            assertEquals(201, answer.status(), answer.body());
            assertEquals(2000, answer.json().get("count").asInt());
        }
        JsonNode last = http.get("/v1/streams/big?from_version=1999").json();
        assertEquals(1999, last.get(0).get("data").get("i").asInt());
    }

    @Test
    void connectionCloseIsAnsweredThenTheConnectionCloses() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write(post("/v1/streams/closing", "{\"a\":1}", "Connection", "close"));
            Answer answer = next(raw);
            assertEquals(201, answer.status());
            assertEquals("close", raw.headers.get("connection"));
            assertEquals(0, raw.readToEnd().length, "nothing follows, and the server closes the connection");
        }
    }

    @Test
    void aChunkedAppendIsServedByTheRegularRoute() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write("POST /v1/streams/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");
            assertEquals(201, next(raw).status());
            raw.write(post("/v1/streams/chunked", "{\"a\":2}"));
            assertEquals(201, next(raw).status(), "a direct append after one served by reactor-netty");
        }
        assertEquals(2, http.get("/v1/streams/chunked").json().size());
    }

    @Test
    void directAppendsAreCountedInTheRequestMetrics() {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, http.post("/v1/streams/counted", "{\"i\":" + i + "}",
                    "Content-Type", "application/json").status());
        }
        assertEquals(409, http.post("/v1/streams/counted", "{}", "Content-Type", "application/json",
                "Expected-Version", "7").status());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains(
                "eventlog_http_requests_seconds_count{method=\"POST\",route=\"/v1/streams/{stream}\",status=\"201\"} 3"),
                metrics);
        assertTrue(metrics.contains(
                "eventlog_http_requests_seconds_count{method=\"POST\",route=\"/v1/streams/{stream}\",status=\"409\"} 1"),
                metrics);
    }
}

package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.eventlog.api.Entry;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request gets its status and error code, and none of them changes stored
 * data: the whole global log is compared before and after each one.
 */
class BadRequestsTest {
    @TempDir
    static Path dir;
    static TestServer http;

    /** One bad request and what it must be answered. */
    record Case(String name, String method, String path, List<String> headers, byte[] body, boolean chunked,
                int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        http = new TestServer(dir);
        for (int i = 0; i < 3; i++) {
            assertEquals(201, http.post("/v1/streams/seeded", "{\"i\":" + i + "}").status());
        }
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // malformed JSON (the node validates each event's data)
        cases.add(post("truncated JSON", "{\"a\":", 400, "invalid_json"));
        cases.add(post("trailing data", "{\"a\":1} x", 400, "invalid_json"));
        cases.add(post("two values in a single-event body", "1 2", 400, "invalid_json"));
        cases.add(post("NaN", "NaN", 400, "invalid_json"));
        cases.add(post("NaN inside an object", "{\"a\":NaN}", 400, "invalid_json"));
        cases.add(post("single quotes", "{'a':1}", 400, "invalid_json"));
        cases.add(new Case("bad UTF-8", "POST", "/v1/streams/s", List.of(),
                new byte[] {'"', (byte) 0xff, (byte) 0xfe, '"'}, false, 400, "invalid_json"));
        cases.add(new Case("one bad line spoils the batch", "POST", "/v1/streams/s",
                List.of("Content-Type", "application/x-ndjson"), bytes("{\"ok\":1}\n{\"bad\":\n{\"ok\":2}\n"), false,
                400, "invalid_json"));
        // empty bodies
        cases.add(post("empty body", "", 400, "empty_body"));
        cases.add(post("whitespace body", " \r\n\t ", 400, "empty_body"));
        cases.add(new Case("batch of blank lines", "POST", "/v1/streams/s",
                List.of("Content-Type", "application/x-ndjson"), bytes("\n \n\r\n"), false, 400, "empty_body"));
        // stream names
        for (String name : List.of("bad%20name", "%24system", "-leading-dash", "a%2Fb", "%C3%28", "",
                "x".repeat(201), "caf%C3%A9")) {
            cases.add(new Case("append to stream '" + name + "'", "POST", "/v1/streams/" + name, List.of(), bytes("1"),
                    false, 400, "invalid_stream"));
        }
        cases.add(get("read of a bad stream name", "/v1/streams/bad%20name", 400, "invalid_stream"));
        cases.add(get("subscribe to a bad stream name", "/v1/streams/%24all/subscribe", 400, "invalid_stream"));
        // header values
        for (String value : List.of("abc", "-2", "1.5", "99999999999999999999", "", "+1", "0x10")) {
            cases.add(post("Expected-Version '" + value + "'", "1", 400, "invalid_header", "Expected-Version", value));
        }
        cases.add(post("empty Idempotency-Key", "1", 400, "invalid_header", "Idempotency-Key", ""));
        cases.add(post("Idempotency-Key too long", "1", 400, "invalid_header", "Idempotency-Key", "k".repeat(257)));
        cases.add(post("empty Event-Type", "1", 400, "invalid_header", "Event-Type", ""));
        cases.add(get("bad Last-Event-ID", "/v1/streams/seeded/subscribe", 400, "invalid_header",
                "Last-Event-ID", "abc"));
        // sizes
        byte[] overOneMiB = new byte[1024 * 1024 + 1];
        Arrays.fill(overOneMiB, (byte) ' ');
        overOneMiB[0] = '1';
        cases.add(new Case("body over 1 MiB", "POST", "/v1/streams/s", List.of(), overOneMiB, false, 413, "too_large"));
        cases.add(new Case("chunked body over 1 MiB", "POST", "/v1/streams/s", List.of(), overOneMiB, true, 413,
                "too_large"));
        cases.add(new Case("batch of 10,001 events", "POST", "/v1/streams/s",
                List.of("Content-Type", "application/x-ndjson"), bytes("1\n".repeat(10_001)), false, 413,
                "too_large"));
        // query parameters
        for (String query : List.of("limit=abc", "limit=-1", "limit=0", "limit=", "limit=1&limit=2",
                "from_version=1.5", "from_version=99999999999999999999", "from_offset=1", "min_offset=x",
                "from_version=%2D1")) {
            cases.add(get("stream read ?" + query, "/v1/streams/seeded?" + query, 400, "invalid_parameter"));
        }
        for (String query : List.of("from_offset=-5", "from_version=0", "min_offset=1.0")) {
            cases.add(get("log read ?" + query, "/v1/log?" + query, 400, "invalid_parameter"));
            cases.add(get("log subscribe ?" + query, "/v1/log/subscribe?" + query, 400, "invalid_parameter"));
        }
        cases.add(get("log read ?limit=1e3", "/v1/log?limit=1e3", 400, "invalid_parameter"));
        // unknown things
        cases.add(get("unknown stream", "/v1/streams/never-written", 404, "stream_not_found"));
        for (String path : List.of("/", "/v1", "/v1/nope", "/v2/log", "/v1/log/", "/v1/streams/x/other",
                "/v1/streams/x/subscribe/more", "/metrics/x")) {
            cases.add(get("unknown path " + path, path, 404, "not_found"));
        }
        cases.add(new Case("DELETE a stream", "DELETE", "/v1/streams/seeded", List.of(), null, false, 405,
                "method_not_allowed"));
        cases.add(new Case("POST to the log", "POST", "/v1/log", List.of(), bytes("1"), false, 405,
                "method_not_allowed"));
        cases.add(new Case("POST to a subscription", "POST", "/v1/streams/seeded/subscribe", List.of(), bytes("1"),
                false, 405, "method_not_allowed"));
        cases.add(new Case("PUT metrics", "PUT", "/metrics", List.of(), bytes("x"), false, 405,
                "method_not_allowed"));
        // content types
        for (String type : List.of("text/plain", "application/xml", "application/json; charset=iso-8859-1",
                "multipart/form-data; boundary=x", "application/jsonx")) {
            cases.add(post("Content-Type " + type, "1", 415, "unsupported_media_type", "Content-Type", type));
        }
        // a well-formed append whose condition fails
        cases.add(post("wrong expected version", "1", 409, "wrong_expected_version", "Expected-Version", "0"));
        cases.add(post("stream must not exist", "1", 409, "wrong_expected_version", "Expected-Version", "no-stream"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(20)
    void isRefusedWithoutChangingStoredData(Case c) {
        List<Entry> before = http.globalLog();

        TestServer.Response response = http.sendOnNewConnection(request(c));

        assertEquals(c.status(), response.status(), response.body());
        assertEquals(c.code(), response.errorCode(), response.body());
        assertNotNull(response.json().get("message"), response.body());
        assertEquals("application/json", response.header("content-type"));
        if (c.status() == 405) {
            assertNotNull(response.header("allow"), "405 without Allow");
        }
        assertEquals(before, http.globalLog());
        assertEquals(3, before.size());
    }

    /**
     * The client is still sending when the server decides on 413; the server reads the rest and drops
     * it before answering, so the answer is never lost to a reset (it was, now and then, before).
     */
    @ParameterizedTest(name = "chunked={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    @Timeout(60)
    void anOversizeBodyIsAnswered413EveryTime(boolean chunked) {
        byte[] body = new byte[1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '1';
        Case oversize = new Case("oversize", "POST", "/v1/streams/s", List.of(), body, chunked, 413, "too_large");
        for (int attempt = 0; attempt < 30; attempt++) {
            TestServer.Response response = http.sendOnNewConnection(request(oversize));
            assertEquals(413, response.status(), "attempt " + attempt + ": " + response.body());
            assertEquals("too_large", response.errorCode());
        }
    }

    private static HttpRequest request(Case c) {
        HttpRequest.Builder builder = http.request(c.path(), c.headers().toArray(new String[0]));
        HttpRequest.BodyPublisher body;
        if (c.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (c.chunked()) {
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(c.body());
        }
        return builder.method(c.method(), body).build();
    }

    private static Case post(String name, String body, int status, String code, String... headers) {
        return new Case(name, "POST", name.contains("expected version") || name.contains("must not exist")
                ? "/v1/streams/seeded" : "/v1/streams/s", List.of(headers), bytes(body), false, status, code);
    }

    private static Case get(String name, String path, int status, String code, String... headers) {
        return new Case(name, "GET", path, List.of(headers), null, false, status, code);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Requests the HTTP decoder refuses still get a JSON error, and change nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void undecodableRequestsGetAJsonError(String name, String request, int status, String code) throws Exception {
        List<Entry> before = http.globalLog();
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write(request);
            raw.readHead();
            assertEquals(status, raw.status);
            assertEquals("application/json", raw.headers.get("content-type"));
            assertEquals(code, TestServer.MAPPER.readTree(raw.bodyText()).get("error").asText());
            assertEquals(-1, raw.socket.getInputStream().read(), "the connection is closed");
        }
        assertEquals(before, http.globalLog());
    }

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of("request line too long", "POST /v1/streams/" + "a".repeat(5000)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n1", 414, "too_large"),
                Arguments.of("headers too large", "POST /v1/streams/s HTTP/1.1\r\nHost: x\r\nX-Big: "
                        + "b".repeat(10_000) + "\r\nContent-Length: 1\r\n\r\n1", 431, "too_large"),
                Arguments.of("not HTTP", "HELLO\r\n\r\n", 400, "bad_request"),
                Arguments.of("bad content length", "POST /v1/streams/s HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: abc\r\n\r\n1", 400, "bad_request"));
    }
}

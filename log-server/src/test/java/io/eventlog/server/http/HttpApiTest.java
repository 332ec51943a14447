package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints of API.md doing what the contract says for good requests. */
class HttpApiTest {
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

    @Test
    void appendsOneEventAndAnswersTheContractBody() {
        TestServer.Response created = http.post("/v1/streams/orders-17", "{\"any\":\"json\"}",
                "Content-Type", "application/json");
        assertEquals(201, created.status(), created.body());
        assertEquals("{\"stream\":\"orders-17\",\"offset\":1,\"version\":0,\"first_offset\":1,\"first_version\":0,"
                + "\"count\":1}", created.body());
        assertEquals("application/json", created.header("content-type"));

        TestServer.Response read = http.get("/v1/streams/orders-17");
        assertEquals(200, read.status());
        JsonNode entry = read.json().get(0);
        assertEquals(1, entry.get("offset").asLong());
        assertEquals("orders-17", entry.get("stream").asText());
        assertEquals(0, entry.get("version").asLong());
        assertTrue(entry.get("timestamp").asLong() > 1_700_000_000_000L);
        assertNull(entry.get("type"));
        assertNull(entry.get("headers"));
        assertEquals("{\"any\":\"json\"}", entry.get("data").toString());
    }

    @Test
    void appendsABatchWithTypeAndHeadersOnEveryEvent() {
        TestServer.Response created = http.post("/v1/streams/batch", "{\"n\":1}\n\n  \r\n[2]\r\n\"three\"\n",
                "Content-Type", "application/x-ndjson", "Event-Type", "Counted", "Event-Header-Trace-ID", "abc",
                "event-header-Origin", "test");
        assertEquals(201, created.status(), created.body());
        assertEquals("{\"stream\":\"batch\",\"offset\":3,\"version\":2,\"first_offset\":1,\"first_version\":0,"
                + "\"count\":3}", created.body());

        JsonNode entries = http.get("/v1/streams/batch", "Accept", "*/*").json();
        assertEquals(3, entries.size());
        assertEquals(List.of("{\"n\":1}", "[2]", "\"three\""),
                List.of(entries.get(0).get("data").toString(), entries.get(1).get("data").toString(),
                        entries.get(2).get("data").toString()));
        for (JsonNode entry : entries) {
            assertEquals("Counted", entry.get("type").asText());
            assertEquals("abc", entry.get("headers").get("trace-id").asText());
            assertEquals("test", entry.get("headers").get("origin").asText());
        }
    }

    @Test
    void readsAsNdjsonWhenAskedAndPagesWithFromAndLimit() {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, http.post("/v1/streams/paged", "{\"i\":" + i + "}").status());
            assertEquals(201, http.post("/v1/streams/other", "{\"j\":" + i + "}").status());
        }
        TestServer.Response ndjson = http.get("/v1/streams/paged?from_version=1&limit=2",
                "Accept", "application/x-ndjson");
        assertEquals(200, ndjson.status());
        assertEquals("application/x-ndjson", ndjson.header("content-type"));
        String[] lines = ndjson.body().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"version\":1") && lines[0].contains("\"data\":{\"i\":1}"), lines[0]);
        assertTrue(lines[1].contains("\"version\":2"), lines[1]);

        JsonNode log = http.get("/v1/log?from_offset=4&limit=3").json();
        assertEquals(List.of(4L, 5L, 6L), List.of(log.get(0).get("offset").asLong(), log.get(1).get("offset").asLong(),
                log.get(2).get("offset").asLong()));
        assertEquals("[]", http.get("/v1/log?from_offset=11").body());
        assertEquals("[]", http.get("/v1/streams/paged?from_version=5").body());
        assertEquals(10, http.get("/v1/log").json().size());
        assertEquals(5, http.get("/v1/streams/paged?limit=100000").json().size());
    }

    @Test
    void acceptsCurlsFormTypeAndACharsetAndPercentEncodedNames() {
        assertEquals(201, http.post("/v1/streams/a%3Ab", "1", "Content-Type", "application/x-www-form-urlencoded")
                .status());
        assertEquals(201, http.post("/v1/streams/a:b", "2", "Content-Type", "application/json; charset=UTF-8")
                .status());
        JsonNode entries = http.get("/v1/streams/a%3ab").json();
        assertEquals(2, entries.size());
        assertEquals("a:b", entries.get(1).get("stream").asText());
    }

    @Test
    void expectedVersionAndIdempotencyKey() {
        assertEquals(201, http.post("/v1/streams/ev", "1", "Expected-Version", "no-stream").status());
        assertEquals(201, http.post("/v1/streams/ev", "2", "Expected-Version", "0").status());
        assertEquals(201, http.post("/v1/streams/ev", "3", "Expected-Version", "any").status());

        TestServer.Response conflict = http.post("/v1/streams/ev", "4", "Expected-Version", "1");
        assertEquals(409, conflict.status());
        assertEquals("wrong_expected_version", conflict.errorCode());
        assertTrue(conflict.json().get("expected").isIntegralNumber());
        assertEquals(1, conflict.json().get("expected").asLong());
        assertEquals(2, conflict.json().get("actual").asLong());
        TestServer.Response exists = http.post("/v1/streams/ev", "4", "Expected-Version", "-1");
        assertEquals(409, exists.status());
        assertEquals(-1, exists.json().get("expected").asLong());

        TestServer.Response first = http.post("/v1/streams/idem", "{\"x\":1}", "Idempotency-Key", "k-1");
        TestServer.Response repeat = http.post("/v1/streams/idem", "{\"different\":true}", "Idempotency-Key", "k-1",
                "Expected-Version", "7");
        assertEquals(201, first.status());
        assertEquals(201, repeat.status());
        assertEquals(first.body(), repeat.body());
        assertEquals(1, http.get("/v1/streams/idem").json().size());
    }

    @Test
    void readYourWritesWithMinOffset() {
        TestServer.Response created = http.post("/v1/streams/ryw", "true");
        long offset = created.json().get("offset").asLong();
        JsonNode entries = http.get("/v1/log?from_offset=" + offset + "&min_offset=" + offset).json();
        assertEquals(1, entries.size());
        assertEquals("true", entries.get(0).get("data").toString());
    }

    @Test
    void clusterAndHealthForASingleNode() {
        http.post("/v1/streams/c", "1");
        JsonNode cluster = http.get("/v1/cluster").json();
        assertEquals("node-1", cluster.get("node").asText());
        assertEquals("node-1", cluster.get("leader").asText());
        assertTrue(cluster.get("term").asLong() >= 1);
        assertEquals(1, cluster.get("commit_index").asLong());
        assertEquals(1, cluster.get("members").size());
        JsonNode self = cluster.get("members").get(0);
        assertEquals("node-1", self.get("id").asText());
        assertEquals("127.0.0.1:" + http.server.port(), self.get("address").asText());
        assertEquals("leader", self.get("role").asText());
        assertEquals(1, self.get("match_index").asLong());

        assertEquals(200, http.get("/health/live").status());
        TestServer.Response ready = http.get("/health/ready");
        assertEquals(200, ready.status());
        assertEquals("ready", ready.json().get("status").asText());
    }

    @Test
    void metricsInPrometheusTextFormat() {
        http.post("/v1/streams/m", "1");
        http.get("/v1/streams/m");
        TestServer.Response metrics = http.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("content-type").startsWith("text/plain; version=0.0.4"), metrics.header("content-type"));
        String text = metrics.body();
        assertTrue(text.contains("eventlog_http_requests_seconds_count{method=\"POST\",route=\"/v1/streams/{stream}\","
                + "status=\"201\"} 1"), text);
        assertTrue(text.contains("eventlog_http_subscribers "), text);
        assertTrue(text.contains("# TYPE "), text);
    }
}

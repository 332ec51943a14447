package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients race to append to one stream, each with the Expected-Version it last saw: for
 * every version exactly one wins (201), the others get 409 with the actual version, and the
 * stream ends up dense with no version skipped or doubled.
 */
class ConcurrentAppendTest {
    private static final int CLIENTS = 8;
    private static final int VERSIONS = 300;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void exactlyOneAppendWinsPerVersion() throws Exception {
        try (TestServer http = new TestServer(dir)) {
            Set<Long> won = ConcurrentHashMap.newKeySet();
            AtomicInteger wins = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    long known = -1;
                    while (known < VERSIONS - 1) {
                        TestServer.Response response = http.post("/v1/streams/race",
                                "{\"client\":" + client + ",\"expected\":" + known + "}",
                                "Expected-Version", known < 0 ? "no-stream" : Long.toString(known));
                        if (response.status() == 201) {
                            long version = response.json().get("version").asLong();
                            assertEquals(known + 1, version, "a win appends right after the expected version");
                            assertTrue(won.add(version), "version " + version + " won twice");
                            wins.incrementAndGet();
                            known = version;
                        } else {
                            assertEquals(409, response.status(), response.body());
                            JsonNode conflict = response.json();
                            assertEquals("wrong_expected_version", conflict.get("error").asText());
                            assertEquals(known, conflict.get("expected").asLong());
                            long actual = conflict.get("actual").asLong();
                            assertTrue(actual > known, "a conflict reports a newer version: " + actual);
                            conflicts.incrementAndGet();
                            known = actual;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();

            JsonNode stream = http.get("/v1/streams/race?limit=10000").json();
            int expectedTotal = wins.get();
            assertTrue(expectedTotal >= VERSIONS, "wins " + expectedTotal);
            assertEquals(expectedTotal, stream.size());
            for (int v = 0; v < stream.size(); v++) {
                JsonNode entry = stream.get(v);
                assertEquals(v, entry.get("version").asLong(), "versions are dense and in order");
                assertEquals(v - 1, entry.get("data").get("expected").asLong(),
                        "each entry was appended by the request that expected the version before it");
                assertTrue(won.contains((long) v));
            }
            assertTrue(conflicts.get() > 0, "the clients did race");
        }
    }
}

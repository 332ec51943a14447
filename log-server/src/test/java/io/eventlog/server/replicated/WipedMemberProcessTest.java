package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.ProcessCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes that checkpoint every 100 entries: a follower is killed, its data directory
 * deleted while the others go on, and it is started again with the same id and peers. It tells the
 * leader its log is empty (without that, the leader would trust what it acknowledged before and send
 * it nothing), gets the whole log (no retention here: the leader still holds it), and serves exactly
 * what the leader serves. The same with retention, by snapshot: {@code SnapshotCatchUpTest}.
 */
class WipedMemberProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aKilledAndWipedMemberRejoinsAndServesWhatTheLeaderServes() throws Exception {
        Path output = ClusterScenario.outputDir("cluster-tests", "wiped-member");
        try (ProcessCluster cluster = ProcessCluster.start(3, data, output.resolve("nodes"),
                List.of("--checkpoint-every=100", "--append-timeout=4s"))) {
            int wiped = cluster.leader() % 3 + 1;
            appendAll(cluster, 0, 50);
            cluster.kill9(wiped);
            wipe(data.resolve("node-" + wiped));
            appendAll(cluster, 50, 350);

            cluster.restart(wiped);
            long commitIndex = cluster.awaitConverged();

            List<JsonNode> leaders = readLog(cluster.httpBase(cluster.leader()), 1, commitIndex);
            assertEquals(350, leaders.size());
            assertEquals(leaders, readLog(cluster.httpBase(wiped), 1, commitIndex));
        }
    }

    /** Appends events {@code from..to-1}, keyed, each to any member (a follower forwards), retrying 503 and 504. */
    private static void appendAll(ProcessCluster cluster, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                URI base = cluster.httpBase(cluster.leader());
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1/streams/s" + (i % 5)))
                        .header("Content-Type", "application/json").header("Idempotency-Key", "k" + i)
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 201) {
                    break;
                }
                assertTrue((answer.statusCode() == 503 || answer.statusCode() == 504 || answer.statusCode() == 307)
                        && System.nanoTime() < deadline, "append " + i + ": " + answer.statusCode() + " " + answer.body());
                Thread.sleep(100);
            }
        }
    }

    private static List<JsonNode> readLog(URI node, long from, long upTo) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        long next = from;
        while (next <= upTo) {
            HttpResponse<String> page = get(node, "/v1/log?limit=1000&from_offset=" + next + "&min_offset=" + upTo);
            assertEquals(200, page.statusCode(), page.body());
            JsonNode array = JSON.readTree(page.body());
            if (array.isEmpty()) {
                break;
            }
            for (JsonNode entry : array) {
                if (entry.path("offset").asLong() <= upTo) {
                    entries.add(entry);
                }
            }
            next = array.get(array.size() - 1).path("offset").asLong() + 1;
        }
        return entries;
    }

    private static HttpResponse<String> get(URI node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void wipe(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Files.createDirectories(directory);
    }
}

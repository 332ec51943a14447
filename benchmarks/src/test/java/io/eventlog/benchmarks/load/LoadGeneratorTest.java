package io.eventlog.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.server.cli.StubNode;
import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Runs the generator for about a second against a stub node and checks what it sent and what it counted. */
@Timeout(60)
class LoadGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECTIONS = 4;

    @Test
    void singleEventsFromTheCommandLineCountEveryAppendAndReportJson() throws Exception {
        try (StubNode node = StubNode.start(LoadGeneratorTest::created)) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = LoadGenerator.commandLine().setOut(new PrintWriter(out));

            int exitCode = commandLine.execute("--url", node.url(), "--connections", "" + CONNECTIONS,
                    "--duration", "1s", "--warmup", "0", "--size", "100", "--streams", "3", "--json");

            assertEquals(0, exitCode, out.toString());
            JsonNode report = JSON.readTree(out.toString());
            long requests = report.get("requests").asLong();
            List<Request> received = node.requests();
            assertCountedWhatTheNodeAnswered(requests, received.size());
            assertEquals(requests, report.get("events").asLong());
            assertEquals(0, report.get("errors").size());
            assertEquals(requests, report.get("requests_per_s").asDouble(), requests * 0.001);
            assertTrue(report.get("latency_ms").get("p99").asDouble() > 0, report.toString());
            assertEquals(100, report.get("config").get("size").asInt());
            for (Request request : received) {
                assertValidAppend(request, "application/json", 100, 1);
            }
            assertEquals(Set.of("/v1/streams/load-0", "/v1/streams/load-1", "/v1/streams/load-2"),
                    received.stream().map(Request::uri).collect(Collectors.toSet()));
        }
    }

    @Test
    void batchesCountOnly201sAsAppendsAndOtherStatusesAsErrors() {
        AtomicLong answered = new AtomicLong();
        AtomicLong created = new AtomicLong();
        try (StubNode node = StubNode.start(request -> {
            if (answered.incrementAndGet() % 4 == 0) {
                return Reply.error(503, "no_leader", "no leader is known");
            }
            created.incrementAndGet();
            return created(request);
        })) {
            LoadConfig config = new LoadConfig(List.of(URI.create(node.url())), CONNECTIONS, Duration.ofSeconds(1), Duration.ZERO,
                    64, 1, 10, "orders");

            LoadResult result = new LoadRun(config).run();

            assertCountedWhatTheNodeAnswered(result.requests(), created.get());
            long failed = result.errors().getOrDefault("503", 0L);
            assertCountedWhatTheNodeAnswered(failed, answered.get() - created.get());
            assertEquals(Set.of("503"), result.errors().keySet());
            assertEquals(10 * result.requests(), result.events());
            assertEquals(result.requests(), result.latency().getTotalCount());
            for (Request request : node.requests()) {
                assertValidAppend(request, "application/x-ndjson", 64, 10);
                assertEquals("/v1/streams/orders-0", request.uri());
            }
            String text = LoadReport.text("eventlog load", result);
            assertTrue(text.contains("NDJSON batches of 10 events of 64 bytes, 1 stream,"), text);
            assertTrue(text.contains("{503=" + failed + "}"), text);
        }
    }

    @Test
    void severalUrlsShareTheConnections() throws Exception {
        try (StubNode first = StubNode.start(LoadGeneratorTest::created);
             StubNode second = StubNode.start(LoadGeneratorTest::created)) {
            StringWriter out = new StringWriter();

            int exitCode = LoadGenerator.commandLine().setOut(new PrintWriter(out)).execute(
                    "--url", first.url() + "," + second.url(), "--connections", "" + CONNECTIONS,
                    "--duration", "500ms", "--warmup", "0", "--json");

            assertEquals(0, exitCode, out.toString());
            JsonNode report = JSON.readTree(out.toString());
            assertCountedWhatTheNodeAnswered(report.get("requests").asLong(), first.requestCount() + second.requestCount());
            assertTrue(first.requestCount() > 0 && second.requestCount() > 0);
            assertEquals(List.of(first.url(), second.url()),
                    List.of(report.get("config").get("urls").get(0).asText(), report.get("config").get("urls").get(1).asText()));
        }
    }

    @Test
    void discoverLeaderSendsOnlyToTheLeaderThatGetV1ClusterNames() throws Exception {
        AtomicLong appendsToFollower = new AtomicLong();
        try (StubNode leader = StubNode.start(LoadGeneratorTest::created);
             StubNode follower = StubNode.start(request -> {
                 if (request.path().equals("/v1/cluster")) {
                     return Reply.json(200, clusterJson("2", "http://127.0.0.1:1", leader.url()));
                 }
                 appendsToFollower.incrementAndGet();
                 return created(request);
             })) {
            StringWriter out = new StringWriter();

            int exitCode = LoadGenerator.commandLine().setOut(new PrintWriter(out)).execute(
                    "--url", follower.url(), "--discover", "leader", "--connections", "" + CONNECTIONS,
                    "--duration", "500ms", "--warmup", "0", "--json");

            assertEquals(0, exitCode, out.toString());
            assertCountedWhatTheNodeAnswered(JSON.readTree(out.toString()).get("requests").asLong(), leader.requestCount());
            assertEquals(0, appendsToFollower.get());
        }
    }

    @Test
    void discoveryReadsTheLeaderOrEveryMemberFromGetV1Cluster() {
        String cluster = clusterJson("2", "http://127.0.0.1:7071", "http://127.0.0.1:7072");

        assertEquals(List.of(URI.create("http://127.0.0.1:7072")), Discovery.LEADER.targets(cluster));
        assertEquals(List.of(URI.create("http://127.0.0.1:7071"), URI.create("http://127.0.0.1:7072")),
                Discovery.ALL.targets(cluster));
        String noLeader = cluster.replace("\"leader\":\"2\"", "\"leader\":null");
        assertThrows(IllegalStateException.class, () -> Discovery.LEADER.targets(noLeader));
        assertEquals(2, Discovery.ALL.targets(noLeader).size());
    }

    @Test
    void discoveryFailureExitsWithOne() throws Exception {
        StringWriter err = new StringWriter();
        try (StubNode node = StubNode.start(request -> Reply.json(200, "{\"node\":\"1\",\"leader\":null,\"members\":[]}"))) {
            int exitCode = LoadGenerator.commandLine().setErr(new PrintWriter(err)).execute(
                    "--url", node.url(), "--discover", "leader", "--duration", "1s");

            assertEquals(1, exitCode);
            assertTrue(err.toString().contains("knows no leader"), err.toString());
        }
    }

    @Test
    void anUnreachableNodeCountsNoAppends() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LoadConfig config = new LoadConfig(List.of(URI.create("http://127.0.0.1:" + port)), 2, Duration.ofMillis(500),
                Duration.ZERO, 100, 1, 0, "load");

        LoadResult result = new LoadRun(config).run();

        assertEquals(0, result.requests());
        assertEquals(0, result.events());
        assertTrue(result.errorCount() > 0, result.errors().toString());
        assertTrue(result.errors().keySet().stream().allMatch(key -> key.contains("Connect")), result.errors().toString());
    }

    /** The node answered at most one request per connection that finished after the window closed. */
    private static void assertCountedWhatTheNodeAnswered(long counted, long answered) {
        assertTrue(counted > 0, "counted nothing");
        assertTrue(counted <= answered && answered - counted <= CONNECTIONS,
                "counted " + counted + " of " + answered + " answered");
    }

    private static void assertValidAppend(Request request, String contentType, int size, int events) {
        assertEquals("POST", request.method());
        assertEquals(contentType, request.header("Content-Type"));
        String expectedBody = "application/json".equals(contentType) ? EventBodies.event(size)
                : (EventBodies.event(size) + "\n").repeat(events);
        assertEquals(expectedBody, request.body());
        assertEquals(Integer.toString(expectedBody.length()), request.header("Content-Length"));
        for (String line : request.body().split("\n")) {
            assertEquals(size, line.length());
            try {
                assertTrue(JSON.readTree(line).isObject());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
    }

    /** A GET /v1/cluster answer of two members, "1" at {@code first} and "2" at {@code second}. */
    private static String clusterJson(String leader, String first, String second) {
        return "{\"node\":\"1\",\"leader\":\"" + leader + "\",\"term\":1,\"commit_index\":0,\"ready\":true,\"members\":["
                + "{\"id\":\"1\",\"address\":\"" + hostPort(first) + "\",\"role\":\"follower\",\"match_index\":null},"
                + "{\"id\":\"2\",\"address\":\"" + hostPort(second) + "\",\"role\":\"leader\",\"match_index\":null}]}";
    }

    private static String hostPort(String url) {
        return url.substring("http://".length());
    }

    private static Reply created(Request request) {
        String stream = request.path().substring("/v1/streams/".length());
        int count = Math.max(1, (int) request.body().chars().filter(c -> c == '\n').count());
        return Reply.json(201, "{\"stream\":\"" + stream + "\",\"offset\":" + (count - 1) + ",\"version\":" + (count - 1)
                + ",\"first_offset\":0,\"first_version\":0,\"count\":" + count + "}");
    }
}

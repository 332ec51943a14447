package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.JvmProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlog serve} as a user runs it: a process that serves, stops on SIGTERM, and keeps its data. */
class ServeCommandProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+) ");
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Starts {@code eventlog serve} on the test's data directory, on loopback, with {@code options}. */
    private JvmProcess serve(String... options) {
        java.util.List<String> args = new java.util.ArrayList<>(
                java.util.List.of("serve", "--data=" + dir.resolve("data"), "--host=127.0.0.1"));
        args.addAll(java.util.List.of(options));
        return JvmProcess.builder(EventLogCommand.class).name("serve").args(args).start();
    }

    private static int port(JvmProcess node) {
        Matcher matcher = LISTENING.matcher(node.awaitLine(l -> LISTENING.matcher(l).find(), START));
        assertTrue(matcher.find());
        return Integer.parseInt(matcher.group(1));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNodeServesStopsOnSigtermAndFindsEverythingAfterARestart() throws Exception {
        String log;
        try (JvmProcess node = serve("--port=0", "--durability=fsync")) {
            URI base = URI.create("http://127.0.0.1:" + port(node));
            HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/v1/streams/orders-17"))
                    .header("Event-Type", "OrderPlaced").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}"))
                    .build());
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("{\"stream\":\"orders-17\",\"offset\":1,\"version\":0,\"first_offset\":1,\"first_version\":0,"
                    + "\"count\":1}", created.body());
            log = send(HttpRequest.newBuilder(base.resolve("/v1/log")).build()).body();
            node.signal("TERM");
            // 128 + SIGTERM, after the shutdown hook has closed the node cleanly.
            assertEquals(143, node.awaitExit(Duration.ofSeconds(30)), node.stderrTail());
        }
        try (JvmProcess node = serve("--port=0")) {
            URI base = URI.create("http://127.0.0.1:" + port(node));
            assertEquals(log, send(HttpRequest.newBuilder(base.resolve("/v1/log")).build()).body());
            HttpResponse<String> next = send(HttpRequest.newBuilder(base.resolve("/v1/streams/orders-17"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":3}")).build());
            assertTrue(next.body().contains("\"offset\":2,\"version\":1"), next.body());
        }
    }

    @Test
    void aPortInUseIsAClearStartFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress());
             JvmProcess node = serve("--port=" + taken.getLocalPort())) {
            assertEquals(1, node.awaitExit(START));
            assertTrue(node.stderrTail().contains("cannot start"), node.stderrTail());
        }
    }

    @Test
    void aBadDurabilityIsAUsageError() {
        try (JvmProcess node = serve("--port=0", "--durability=sometimes")) {
            assertEquals(2, node.awaitExit(START));
            assertTrue(node.stderrTail().contains("--durability"), node.stderrTail());
        }
    }
}

package io.eventlog.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/cluster.sh} as a user runs it: start three nodes, append on one, read on another,
 * kill -9 the leader, keep appending, restart it, stop. Runs after log-server is packaged, so the
 * script's launcher finds a fresh jar and builds nothing. Its own ports, so that a cluster a
 * developer runs on the default ones is left alone.
 */
class ClusterScriptTest {
    private static final int HTTP_BASE = 27070;
    private static final int PEER_BASE = 27170;
    private static final Path ROOT = Path.of(System.getProperty("eventlog.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LEADER = Pattern.compile("\"leader\":\"(\\d)\"");

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopCluster() throws Exception {
        script("stop");
    }

    @Test
    void startAppendKillTheLeaderRestartAndStop() throws Exception {
        String started = script("start");
        Matcher leaderLine = Pattern.compile("leader: node (\\d)").matcher(started);
        assertTrue(leaderLine.find(), started);

        String first = append(1, "{\"n\":1}");
        assertTrue(first.contains("\"version\":0"), first);
        String readOnThree = get(3, "/v1/streams/orders?min_offset=" + offset(first));
        assertTrue(readOnThree.contains("{\"n\":1}"), readOnThree);

        int leader = currentLeader(1);
        assertTrue(script("kill", String.valueOf(leader)).contains("killed"));
        int survivor = leader % 3 + 1;
        String second = appendUntilAccepted(survivor, "{\"n\":2}");
        assertTrue(second.contains("\"version\":1"), second);

        assertTrue(script("restart", String.valueOf(leader)).contains("leader: node"));
        String onRestarted = get(leader, "/v1/streams/orders?min_offset=" + offset(second));
        assertTrue(onRestarted.contains("{\"n\":1}") && onRestarted.contains("{\"n\":2}"), onRestarted);

        String status = script("status");
        assertEquals(3, status.split("running").length - 1, status);
        script("stop");
        assertEquals(3, script("status").split("stopped").length - 1);
    }

    private String script(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("ops/cluster.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("EVENTLOG_CLUSTER_DATA", data.toString());
        builder.environment().put("EVENTLOG_CLUSTER_PORTS", HTTP_BASE + " " + PEER_BASE);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cluster.sh " + String.join(" ", args) + " hangs");
        assertEquals(0, process.exitValue(), "cluster.sh " + String.join(" ", args) + ": " + output);
        return output;
    }

    private int currentLeader(int node) throws Exception {
        Matcher matcher = LEADER.matcher(get(node, "/v1/cluster"));
        assertTrue(matcher.find());
        return Integer.parseInt(matcher.group(1));
    }

    /** During the election after the kill an append may be refused (503) or time out (504): retry. */
    private String appendUntilAccepted(int node, String json) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = post(node, json);
            if (response.statusCode() == 201 || System.nanoTime() > deadline) {
                assertEquals(201, response.statusCode(), response.body());
                return response.body();
            }
            Thread.sleep(200);
        }
    }

    private String append(int node, String json) throws Exception {
        HttpResponse<String> response = post(node, json);
        assertEquals(201, response.statusCode(), response.body());
        return response.body();
    }

    private HttpResponse<String> post(int node, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(node, "/v1/streams/orders")).timeout(Duration.ofSeconds(10))
                .header("Idempotency-Key", "script-test-" + json.hashCode())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String get(int node, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(node, path))
                .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static URI uri(int node, String path) {
        return URI.create("http://127.0.0.1:" + (HTTP_BASE + node) + path);
    }

    private static long offset(String appendResult) {
        Matcher matcher = Pattern.compile("\"offset\":(\\d+)").matcher(appendResult);
        assertTrue(matcher.find(), appendResult);
        return Long.parseLong(matcher.group(1));
    }
}

package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.cluster.ClusterView.Member;
import io.eventlog.server.cluster.ClusterView.Role;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;

/** /v1/cluster and /health/ready follow whatever the cluster view says, e.g. on a follower without a leader. */
class ClusterAndHealthTest {
    @TempDir
    Path dir;
    EventLogNode node;
    DisposableServer server;
    final AtomicReference<ClusterView> view = new AtomicReference<>();

    @BeforeEach
    void start() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        node = EventLogNode.open(NodeConfig.defaults(dir).withMeterRegistry(registry));
        HttpConfig config = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        server = HttpApiServer.bind(new HttpApi(node, view::get, null, node::checkpoint, node::requireStartHeld, registry, config), config);
    }

    @AfterEach
    void stop() {
        server.disposeNow();
        node.close();
    }

    private RawHttp get(String path) throws IOException {
        return RawHttp.connect(server.port(), 0).get(path);
    }

    @Test
    void aFollowerWithoutALeaderIsLiveButNotReady() throws IOException {
        view.set(new ClusterView("n2", null, 7, 120, List.of(
                new Member("n1", "10.0.0.1:7070", Role.CANDIDATE, null),
                new Member("n2", "10.0.0.2:7070", Role.FOLLOWER, null)), false));
        try (RawHttp cluster = get("/v1/cluster")) {
            assertEquals(200, cluster.status);
            JsonNode json = TestServer.MAPPER.readTree(cluster.bodyText());
            assertEquals("n2", json.get("node").asText());
            assertTrue(json.get("leader").isNull());
            assertEquals(7, json.get("term").asLong());
            assertEquals(120, json.get("commit_index").asLong());
            assertEquals("candidate", json.get("members").get(0).get("role").asText());
            assertTrue(json.get("members").get(1).get("match_index").isNull());
            assertTrue(json.get("members").get(1).get("id").isTextual());
        }
        try (RawHttp live = get("/health/live")) {
            assertEquals(200, live.status);
        }
        try (RawHttp ready = get("/health/ready")) {
            assertEquals(503, ready.status);
            assertEquals("1", ready.headers.get("retry-after"));
            assertEquals("no_leader", TestServer.MAPPER.readTree(ready.bodyText()).get("error").asText());
        }
    }

    @Test
    void aNodeThatKnowsTheLeaderButLagsIsNotReadyUntilCaughtUp() throws IOException {
        Member leader = new Member("n1", "10.0.0.1:7070", Role.LEADER, 50L);
        view.set(new ClusterView("n1", "n1", 3, 50, List.of(leader), false));
        try (RawHttp ready = get("/health/ready")) {
            assertEquals(503, ready.status);
            assertEquals("unavailable", TestServer.MAPPER.readTree(ready.bodyText()).get("error").asText());
        }
        view.set(new ClusterView("n1", "n1", 3, 50, List.of(leader), true));
        try (RawHttp ready = get("/health/ready")) {
            assertEquals(200, ready.status);
            assertEquals("n1", TestServer.MAPPER.readTree(ready.bodyText()).get("leader").asText());
        }
    }
}

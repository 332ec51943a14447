package io.eventlog.server.cli;

import static io.eventlog.server.cli.AppendCommandTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterCommandTest {
    private static final String CLUSTER = "{\"node\":\"n1\",\"leader\":\"n2\",\"term\":7,\"commit_index\":1042,\"members\":["
            + "{\"id\":\"n1\",\"address\":\"127.0.0.1:7070\",\"role\":\"follower\",\"match_index\":null},"
            + "{\"id\":\"n2\",\"address\":\"127.0.0.1:7071\",\"role\":\"leader\",\"match_index\":null}]}";

    private StubNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void prettyPrintsTheClusterView() throws Exception {
        node = StubNode.start(request -> Reply.json(200, CLUSTER));

        Cli.Result result = Cli.run("cluster", "--url", node.url() + "/");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(CLUSTER), json.readTree(result.out()));
        assertTrue(result.out().lines().count() > 10, result.out());
        assertTrue(result.out().contains("\n  \"leader\" : \"n2\",\n"), result.out());
        Request request = single(node.requests());
        assertEquals("GET", request.method());
        assertEquals("/v1/cluster", request.uri());
        assertEquals("application/json", request.header("Accept"));
    }

    @Test
    void aServerErrorExitsWith1() {
        node = StubNode.start(request -> Reply.error(503, "no_leader", "no leader is known"));

        Cli.Result result = Cli.run("cluster", "--url", node.url());

        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertEquals("eventlog: HTTP 503 no_leader: no leader is known" + System.lineSeparator(), result.err());
    }
}

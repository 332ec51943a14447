package io.eventlog.server.cli;

import static io.eventlog.server.cli.AppendCommandTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.EventData;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCommandTest {
    private static final String WRITTEN = "{\"offset\":1042,\"file\":\"/data/checkpoints/00000000000000001042.ckpt\"}";

    @TempDir
    Path dir;

    @Test
    void postsToTheAdminEndpointAndPrintsTheAnswer() {
        try (StubNode node = StubNode.start(request -> Reply.json(200, WRITTEN))) {
            Cli.Result result = Cli.run("checkpoint", "--url", node.url());

            assertEquals(0, result.exitCode(), result.err());
            assertEquals(WRITTEN + System.lineSeparator(), result.out());
            Request request = single(node.requests());
            assertEquals("POST", request.method());
            assertEquals("/v1/admin/checkpoint", request.uri());
            assertEquals("application/json", request.header("Accept"));
        }
    }

    @Test
    void aServerErrorExitsWith1() {
        try (StubNode node = StubNode.start(request -> Reply.error(500, "internal", "internal error: IOException"))) {
            Cli.run("checkpoint", "--url", node.url())
                    .assertFailed(1, "eventlog: HTTP 500 internal: internal error: IOException");
        }
    }

    @Test
    void checkpointsARunningNode() {
        try (EventLogServer server = EventLogServer.start(EventLogServer.Options.defaults(dir).withHost("127.0.0.1")
                .withPort(0))) {
            server.node().append("orders", EventData.json("{}")).block();

            Cli.Result result = Cli.run("checkpoint", "--url", "http://127.0.0.1:" + server.port());

            assertEquals(0, result.exitCode(), result.err());
            Path file = dir.resolve("checkpoints").resolve("00000000000000000001.ckpt").toAbsolutePath();
            assertEquals("{\"offset\":1,\"file\":\"" + file + "\"}" + System.lineSeparator(), result.out());
            assertTrue(Files.isRegularFile(file));
        }
    }
}

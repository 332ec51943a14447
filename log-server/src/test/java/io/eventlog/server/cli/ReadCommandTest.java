package io.eventlog.server.cli;

import static io.eventlog.server.cli.AppendCommandTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ReadCommandTest {
    static final String ENTRY_5 = "{\"offset\":1042,\"stream\":\"orders-17\",\"version\":5,\"timestamp\":1763800000000,"
            + "\"type\":\"OrderPlaced\",\"headers\":{\"k\":\"v\"},\"data\":{\"any\":\"json\"}}";
    static final String ENTRY_6 = "{\"offset\":1050,\"stream\":\"orders-17\",\"version\":6,\"timestamp\":1763800000100,"
            + "\"data\":[1,2,3]}";
    private static final String NL = System.lineSeparator();

    private StubNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void readsAStreamAsNdjsonWithEveryOption() {
        node = StubNode.start(request -> Reply.ndjson(Flux.just(ENTRY_5 + "\n", ENTRY_6 + "\n")));

        Cli.Result result = Cli.run("read", "orders-17", "--from", "5", "--limit", "2", "--min-offset", "1049",
                "--url", node.url());

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(ENTRY_5 + NL + ENTRY_6 + NL, result.out());
        assertEquals("", result.err());
        Request request = single(node.requests());
        assertEquals("GET", request.method());
        assertEquals("/v1/streams/orders-17", request.path());
        assertEquals("from_version=5&limit=2&min_offset=1049", request.query());
        assertEquals("application/x-ndjson", request.header("Accept"));
        assertEquals("", request.body());
    }

    @Test
    void readsTheGlobalLogWithAllOrLog() {
        node = StubNode.start(request -> Reply.ndjson(Flux.just(ENTRY_6 + "\n")));

        Cli.Result all = Cli.run("read", "--all", "--from", "1050", "--url", node.url());
        Cli.Result log = Cli.run("read", "--log", "--url", node.url());

        assertEquals(0, all.exitCode(), all.err());
        assertEquals(ENTRY_6 + NL, all.out());
        assertEquals(0, log.exitCode(), log.err());
        assertEquals("/v1/log?from_offset=1050", node.requests().get(0).uri());
        assertEquals("/v1/log", node.requests().get(1).uri());
    }

    @Test
    void anEmptyResultPrintsNothing() {
        node = StubNode.start(request -> Reply.ndjson(Flux.empty()));

        Cli.Result result = Cli.run("read", "orders-17", "--from", "99", "--url", node.url());

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.out());
        assertEquals("", result.err());
    }

    @Test
    void anUnknownStreamExitsWith5() {
        node = StubNode.start(request -> Reply.error(404, "stream_not_found", "stream 'nope' does not exist"));

        Cli.Result result = Cli.run("read", "nope", "--url", node.url());

        assertEquals(5, result.exitCode());
        assertEquals("", result.out());
        assertEquals("eventlog: HTTP 404 stream_not_found: stream 'nope' does not exist" + NL, result.err());
    }

    @Test
    void aBadParameterExitsWith2() {
        node = StubNode.start(request -> Reply.error(400, "invalid_parameter", "limit is >= 1, was 0"));

        Cli.Result result = Cli.run("read", "orders-17", "--limit", "0", "--url", node.url());

        assertEquals(2, result.exitCode());
        assertEquals("eventlog: HTTP 400 invalid_parameter: limit is >= 1, was 0" + NL, result.err());
        assertEquals("limit=0", single(node.requests()).query());
    }

    @Test
    void needsExactlyOneOfStreamAndAll() {
        node = StubNode.start(request -> Reply.ndjson(Flux.empty()));

        Cli.Result neither = Cli.run("read", "--url", node.url());
        Cli.Result both = Cli.run("read", "orders-17", "--all", "--url", node.url());

        neither.assertFailed(2, "Give either a STREAM or --all, not neither");
        neither.assertFailed(2, "Usage: eventlog read");
        both.assertFailed(2, "Give either a STREAM or --all, not both");
        assertEquals(0, node.requestCount());
    }
}

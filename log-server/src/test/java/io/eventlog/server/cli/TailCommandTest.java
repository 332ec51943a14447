package io.eventlog.server.cli;

import static io.eventlog.server.cli.AppendCommandTest.single;
import static io.eventlog.server.cli.ReadCommandTest.ENTRY_5;
import static io.eventlog.server.cli.ReadCommandTest.ENTRY_6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eventlog.server.cli.StubNode.Reply;
import io.eventlog.server.cli.StubNode.Request;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Sinks;

@Timeout(30)
class TailCommandTest {
    private static final String NL = System.lineSeparator();

    private final Sinks.Many<String> live = Sinks.many().unicast().onBackpressureBuffer();
    private StubNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void printsEachEntryAsItArrivesUntilTheNodeEndsTheStream() throws Exception {
        node = StubNode.start(request -> Reply.ndjson(live.asFlux()));
        Cli cli = new Cli("");
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(
                () -> cli.execute("tail", "orders-17", "--url", node.url()));

        await(() -> node.requestCount() == 1);
        live.tryEmitNext(ENTRY_5 + "\n");
        await(() -> cli.outSoFar().equals(ENTRY_5 + NL));
        live.tryEmitNext("\n"); // a blank keep-alive line prints nothing
        live.tryEmitNext(ENTRY_6 + "\n");
        await(() -> cli.outSoFar().equals(ENTRY_5 + NL + ENTRY_6 + NL));
        assertFalse(run.isDone(), "tail must keep following while the stream is open");
        live.tryEmitComplete();

        Cli.Result result = run.get(10, TimeUnit.SECONDS);
        assertEquals(3, result.exitCode());
        assertEquals(ENTRY_5 + NL + ENTRY_6 + NL, result.out());
        assertEquals("eventlog: the node at " + node.url() + " ended the subscription" + NL, result.err());
        Request request = single(node.requests());
        assertEquals("GET", request.method());
        assertEquals("/v1/streams/orders-17/subscribe", request.uri());
        assertEquals("application/x-ndjson", request.header("Accept"));
    }

    @Test
    void tailsTheGlobalLogFromAnOffset() throws Exception {
        node = StubNode.start(request -> Reply.ndjson(live.asFlux()));
        live.tryEmitNext(ENTRY_5 + "\n" + ENTRY_6 + "\n");
        live.tryEmitComplete();

        Cli.Result result = Cli.run("tail", "--all", "--from", "1042", "--url", node.url());

        assertEquals(3, result.exitCode());
        assertEquals(ENTRY_5 + NL + ENTRY_6 + NL, result.out());
        assertEquals("/v1/log/subscribe?from_offset=1042", single(node.requests()).uri());
    }

    @Test
    void aStreamFromAVersionUsesFromVersion() {
        node = StubNode.start(request -> Reply.error(400, "invalid_parameter", "from_version must be >= 0"));

        Cli.Result result = Cli.run("tail", "orders-17", "--from", "-3", "--url", node.url());

        assertEquals(2, result.exitCode());
        assertEquals("eventlog: HTTP 400 invalid_parameter: from_version must be >= 0" + NL, result.err());
        assertEquals("/v1/streams/orders-17/subscribe?from_version=-3", single(node.requests()).uri());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}

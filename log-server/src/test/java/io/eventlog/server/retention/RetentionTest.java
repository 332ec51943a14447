package io.eventlog.server.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.http.HttpApi;
import io.eventlog.server.http.HttpApiServer;
import io.eventlog.server.http.HttpConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.netty.DisposableServer;

/**
 * Retention on a single node, with one queue file per second: it deletes whole old files, never one
 * the oldest kept checkpoint needs, readers of deleted offsets are told they expired, a reader
 * standing in a deleted file lets its space go, and a restart starts where the log now starts.
 */
class RetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private NodeConfig config() {
        return NodeConfig.defaults(dir).withRollCycle(TestRollCycles.TEST_SECONDLY)
                .withCheckpoints(new CheckpointConfig(Long.MAX_VALUE, Duration.ofDays(1), 3))
                .withRetention(RetentionConfig.NONE.withMaxBytes(1).withCheckInterval(Duration.ofMillis(20)));
    }

    @Test
    void deletesFilesBeforeTheCheckpointOnlyAndReadersThereAreToldTheirOffsetsExpired() throws Exception {
        List<AppendResult> third;
        long firstHeld;
        List<Entry> held;
        try (EventLogNode node = EventLogNode.open(config())) {
            List<AppendResult> first = appendInANewSecond(node, 0);
            SlowReader slow = new SlowReader();
            node.subscribe(SubscribeRequest.log(1)).subscribe(slow);
            assertEquals(1, slow.entries.poll(10, TimeUnit.SECONDS).offset(), "a reader stands in the first file");
            appendInANewSecond(node, 10);
            Checkpoint checkpoint = node.checkpoint().block(WAIT);
            third = appendInANewSecond(node, 20);

            await("retention deletes the files before the checkpoint's", () -> node.firstOffsetHeld() > 1);
            firstHeld = node.firstOffsetHeld();
            assertTrue(firstHeld > first.get(first.size() - 1).offset(), "the first second's file is gone");
            assertTrue(firstHeld <= checkpoint.offset(), "never the file the checkpoint ends in");
            assertExpired(() -> node.read(ReadRequest.log(1, 10)).collectList().block(WAIT));
            assertExpired(() -> node.read(ReadRequest.stream("s0", 0, 10)).collectList().block(WAIT));
            assertExpired(() -> node.requireStartHeld(SubscribeRequest.log(1)));
            assertExpired(() -> node.requireStartHeld(SubscribeRequest.stream("s0", 0)));
            node.requireStartHeld(SubscribeRequest.log(firstHeld));
            node.requireStartHeld(SubscribeRequest.logFromEnd());
            assertSubscriptionAnswers410BeforeItsHeaders(node);
            held = node.read(ReadRequest.log(firstHeld, 1000)).collectList().block(WAIT);
            assertEquals(firstHeld, held.get(0).offset());
            assertEquals(third.get(third.size() - 1).offset(), held.get(held.size() - 1).offset());

            // The paused reader asks for nothing more: retention's wake-up tells it its place is gone.
            Throwable error = slow.error.poll(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.OFFSET_EXPIRED, assertInstanceOf(EventLogException.class, error).code());
            await("no deleted queue file stays mapped", () -> deletedFilesMapped().isEmpty());
        }

        try (EventLogNode restarted = EventLogNode.open(config())) {
            assertEquals(firstHeld, restarted.firstOffsetHeld());
            assertEquals(held, restarted.read(ReadRequest.log(firstHeld, 1000)).collectList().block(WAIT));
            assertExpired(() -> restarted.read(ReadRequest.log(1, 10)).collectList().block(WAIT));
            AppendResult next = restarted.append("s0", EventData.json("T", "{}")).block(WAIT);
            assertEquals(third.get(third.size() - 1).offset() + 1, next.offset());
        }
    }

    @Test
    void withoutACheckpointNothingIsDeleted() throws Exception {
        try (EventLogNode node = EventLogNode.open(config())) {
            appendInANewSecond(node, 0);
            appendInANewSecond(node, 10);
            appendInANewSecond(node, 20);
            Thread.sleep(200); // retention checks every 20 ms
            assertEquals(1, node.firstOffsetHeld());
            assertEquals(30, node.read(ReadRequest.log(1, 1000)).collectList().block(WAIT).size());
        }
    }

    /** Ten appends to streams s0..s4 once the clock has entered a new second (a new queue file). */
    private static List<AppendResult> appendInANewSecond(EventLogNode node, int first) throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 20);
        List<AppendResult> results = new ArrayList<>();
        for (int i = first; i < first + 10; i++) {
            results.add(node.append("s" + (i % 5), List.of(EventData.json("T", "{\"i\":" + i + "}")),
                    AppendOptions.DEFAULT).block(WAIT));
        }
        return results;
    }

    /** Lines of this process's memory map naming a deleted file of this log (none known without /proc). */
    private List<String> deletedFilesMapped() {
        Path memoryMap = Path.of("/proc/self/maps");
        if (!Files.exists(memoryMap)) {
            return List.of();
        }
        try (Stream<String> maps = Files.lines(memoryMap)) {
            String log = dir.resolve("log").toRealPath().toString();
            return maps.filter(line -> line.contains(log) && line.endsWith("(deleted)")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Over HTTP, a subscription from an expired offset is a 410 with the JSON error, not a 200 stream. */
    private static void assertSubscriptionAnswers410BeforeItsHeaders(EventLogNode node) throws Exception {
        HttpConfig config = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        HttpApi api = new HttpApi(node, () -> null, null, node::checkpoint, node::requireStartHeld,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config);
        DisposableServer server = HttpApiServer.bind(api, config);
        try {
            for (String path : List.of("/v1/log/subscribe?from_offset=1", "/v1/streams/s0/subscribe?from_version=0")) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path)).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(410, response.statusCode(), path);
                assertTrue(response.body().contains("\"offset_expired\""), response.body());
            }
        } finally {
            server.disposeNow();
        }
    }

    private static void assertExpired(Runnable read) {
        EventLogException e = assertThrows(EventLogException.class, read::run);
        assertEquals(ErrorCode.OFFSET_EXPIRED, e.code(), e.getMessage());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    /** A subscriber that asks for one entry, then for more only when told to. */
    private static final class SlowReader extends BaseSubscriber<Entry> {
        final BlockingQueue<Entry> entries = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> error = new LinkedBlockingQueue<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(1);
        }

        @Override
        protected void hookOnNext(Entry entry) {
            entries.add(entry);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.add(throwable);
        }
    }
}

package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that reads far slower than entries are appended is held back by flow control:
 * a million entries are appended (straight into the node, in batches) while an HTTP subscriber
 * with a small receive window reads a little at a time, and the server's used heap (measured
 * after GC) stays within a fixed bound above the baseline. Then the reader speeds up: the flow
 * resumes where it was held, in order with nothing missing, and closing the connection frees the
 * subscription.
 */
class SlowSubscriberTest {
    private static final int ENTRIES = 1_000_000;
    private static final int BATCH = 1_000;
    private static final int STREAMS = 100;
    private static final long HEAP_BOUND = 64L << 20;
    /**
     * Entries the reader must get, in order, within a minute once it reads fast: proof that the held
     * flow resumes (reading all of them would take long on a busy shared machine; alone here it reads
     * about 100,000 a second).
     */
    private static final long CATCH_UP = 20_000;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void heapStaysBoundedWhileASlowReaderFallsFarBehind() throws Exception {
        try (TestServer http = new TestServer(dir)) {
            long baseline = usedHeapAfterGc();
            AtomicBoolean slow = new AtomicBoolean(true);
            AtomicLong received = new AtomicLong();
            try (RawHttp subscriber = RawHttp.connect(http.server.port(), 16 * 1024)
                    .get("/v1/log/subscribe?from_offset=1", "Accept", "application/x-ndjson")) {
                assertEquals(200, subscriber.status);
                CompletableFuture<Void> reader = CompletableFuture.runAsync(
                        () -> readInOrder(subscriber.body(), slow, received));

                long maxUsed = 0;
                long appendStart = System.nanoTime();
                String pad = "x".repeat(64);
                long nextSample = System.nanoTime();
                for (int batch = 0; batch < ENTRIES / BATCH; batch++) {
                    List<EventData> events = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH; i++) {
                        events.add(EventData.json("{\"n\":" + (batch * BATCH + i) + ",\"pad\":\"" + pad + "\"}"));
                    }
                    http.server.node().append("s-" + batch % STREAMS, events, AppendOptions.DEFAULT)
                            .block(Duration.ofSeconds(30));
                    if (System.nanoTime() >= nextSample) {
                        maxUsed = Math.max(maxUsed, usedHeapAfterGc());
                        nextSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    }
                }
                long appendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appendStart);
                long behind = ENTRIES - received.get();
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(500);
                    maxUsed = Math.max(maxUsed, usedHeapAfterGc());
                }
                long growth = maxUsed - baseline;
                System.out.printf("slow subscriber: appended %d entries in %d ms; reader %d behind at the end; "
                                + "baseline %.1f MiB, max used after GC %.1f MiB, growth %.1f MiB%n",
                        ENTRIES, appendMs, behind, baseline / 1048576.0, maxUsed / 1048576.0, growth / 1048576.0);
                assertTrue(behind > ENTRIES / 2, "the reader was not slow enough to test anything: " + behind);
                assertTrue(growth < HEAP_BOUND, "heap grew by " + growth / 1048576 + " MiB");

                long heldAt = received.get();
                slow.set(false);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long fastStart = System.nanoTime();
                while (received.get() < heldAt + CATCH_UP && !reader.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                System.out.printf("slow subscriber: after speeding up, %d more entries in %d ms%n",
                        received.get() - heldAt, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fastStart));
                if (reader.isCompletedExceptionally()) {
                    reader.join();
                }
                assertTrue(received.get() >= heldAt + CATCH_UP, "after speeding up the reader got only "
                        + (received.get() - heldAt) + " more entries");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (http.server.httpSubscribers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, http.server.httpSubscribers(), "closing the connection ends the subscription");
        }
    }

    /** Reads NDJSON lines, checking offsets 1, 2, 3, ...; sleeps between small reads while {@code slow}. */
    private static void readInOrder(InputStream body, AtomicBoolean slow, AtomicLong received) {
        byte[] chunk = new byte[64 * 1024];
        byte[] lineStart = new byte[32];
        int lineLength = 0;
        long expected = 1;
        try {
            while (expected <= ENTRIES) {
                int n = body.read(chunk, 0, slow.get() ? 2048 : chunk.length);
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        if (lineLength < lineStart.length) {
                            lineStart[lineLength] = chunk[i];
                        }
                        lineLength++;
                        continue;
                    }
                    String start = new String(lineStart, 0, Math.min(lineLength, lineStart.length),
                            StandardCharsets.US_ASCII);
                    if (!start.startsWith("{\"offset\":" + expected + ",")) {
                        throw new AssertionError("expected offset " + expected + " but the line starts " + start);
                    }
                    lineLength = 0;
                    expected++;
                    received.incrementAndGet();
                }
                if (slow.get()) {
                    Thread.sleep(5);
                }
            }
        } catch (IOException closedByTheTest) {
            // the test closed the connection once it had seen enough
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}

package io.eventlog.server.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.EventLogClient;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.testing.TcpProxy;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * A subscriber that asks for entries in small portions and pauses between them, on a stream far
 * larger than the bound: while it pauses the client takes nothing more from the connection (the
 * bytes a proxy in between delivers to the client stay within socket buffers of what was asked
 * for), so what it holds cannot grow with the backlog, and every entry still arrives once, in order.
 * The heap growth is printed too; it is not asserted, as the server shares this JVM and netty's
 * pooled allocators may take new chunks meanwhile (CI saw 23 and 44 MB once each, 1 MB usually).
 */
class ClientBackpressureTest {
    private static final int ENTRIES = 150_000;
    private static final int BATCH = 1000;
    private static final String PAD = "x".repeat(400);
    /**
     * Bytes the client may have taken from the connection beyond what its subscriber asked for: the
     * proxy's queue (4 MiB) and the kernel's socket buffers, a few MiB each. The stream's NDJSON is
     * about 75 MB.
     */
    private static final long BOUND_BYTES = 24L * 1024 * 1024;
    /** About the bytes of one entry's NDJSON line. */
    private static final long LINE_BYTES = 500;

    @TempDir
    Path dir;

    @Test
    void aPausedSubscriberCostsTheClientBoundedMemory() throws Exception {
        try (EventLogServer server = EventLogServer.start(EventLogServer.Options.defaults(dir).withHost("127.0.0.1").withPort(0));
             TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", server.port()));
             EventLogClient client = EventLogClient.builder().nodes("127.0.0.1:" + proxy.port()).build()) {
            long fillStart = System.nanoTime();
            for (int start = 0; start < ENTRIES; start += BATCH) {
                List<EventData> batch = new ArrayList<>(BATCH);
                for (int n = start; n < start + BATCH; n++) {
                    batch.add(EventData.json("Tick", "{\"n\":" + n + ",\"pad\":\"" + PAD + "\"}"));
                }
                server.node().append("ticks", batch, AppendOptions.DEFAULT).block(Duration.ofSeconds(30));
            }
            long filled = System.nanoTime();
            long baseline = heapUsedAfterGc();
            SlowSubscriber subscriber = client.subscribe(SubscribeRequest.stream("ticks", 0)).subscribeWith(new SlowSubscriber());
            long worstGrowth = 0;
            long worstExcess = 0;
            try {
                for (long wanted : new long[] {1000, 50_000}) {
                    long target = subscriber.received.get() + wanted;
                    subscriber.request(wanted);
                    await(() -> subscriber.received.get() >= target);
                    Thread.sleep(500);
                    worstGrowth = Math.max(worstGrowth, heapUsedAfterGc() - baseline);
                    worstExcess = Math.max(worstExcess, proxy.downstreamBytes() - target * LINE_BYTES);
                    assertEquals(target, subscriber.received.get(), "no more than requested");
                }
                long drainStart = System.nanoTime();
                long before = subscriber.received.get();
                subscriber.request(Long.MAX_VALUE);
                await(() -> subscriber.received.get() >= ENTRIES);
                System.out.printf("filled %d entries in %d ms; the rest (%d entries) delivered in %d ms%n", ENTRIES,
                        (filled - fillStart) / 1_000_000, ENTRIES - before, (System.nanoTime() - drainStart) / 1_000_000);
            } finally {
                subscriber.dispose();
            }
            assertEquals(ENTRIES, subscriber.received.get());
            assertEquals(List.of(), subscriber.outOfOrder);
            System.out.printf("while paused: the client took %.1f MB beyond what was asked for (bound %d MB); heap"
                    + " growth %.1f MB; stream %d entries of ~%d bytes%n", worstExcess / 1048576.0, BOUND_BYTES >> 20,
                    worstGrowth / 1048576.0, ENTRIES, LINE_BYTES);
            assertTrue(worstExcess < BOUND_BYTES, "the client took " + worstExcess
                    + " bytes beyond what its subscriber asked for while it paused");
        }
    }

    /** Requests only what the test asks for; checks that versions come in order, each once. */
    private static final class SlowSubscriber extends BaseSubscriber<Entry> {
        final AtomicLong received = new AtomicLong();
        final List<String> outOfOrder = new ArrayList<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // Nothing yet: the test requests.
        }

        @Override
        protected void hookOnNext(Entry entry) {
            long expected = received.getAndIncrement();
            if (entry.version() != expected && outOfOrder.size() < 10) {
                outOfOrder.add("expected version " + expected + ", got " + entry.version());
            }
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }
}

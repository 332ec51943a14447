package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.client.EventLogClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads appending through reactive clients, one append at a time each, every payload unique, until
 * stopped; then checks exactly-once: each Mono signalled once and succeeded, and each acknowledged
 * append is in the log once, at the offset and version it was acknowledged with.
 */
final class ClientAppenders {
    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(60);

    private final Map<String, AppendResult> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> signals = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts one appender thread per client; appender {@code i} appends to stream {@code c<i>}. */
    static ClientAppenders start(List<EventLogClient> clients) {
        ClientAppenders appenders = new ClientAppenders();
        for (int i = 0; i < clients.size(); i++) {
            EventLogClient client = clients.get(i);
            int id = i;
            Thread thread = new Thread(() -> appenders.appendUntilStopped(client, id), "appender-" + id);
            thread.start();
            appenders.threads.add(thread);
        }
        return appenders;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Stops the appenders and waits for their last append. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(SIGNAL_WAIT.toMillis());
        }
    }

    /** The highest offset acknowledged. */
    long lastOffset() {
        return acknowledged.values().stream().mapToLong(AppendResult::offset).max().orElseThrow();
    }

    /** Every append succeeded, signalled once, and is in {@code log} once where it was acknowledged. */
    void assertExactlyOnce(List<Entry> log) {
        assertEquals(List.of(), failures, "every append succeeded in the end");
        signals.forEach((payload, count) -> assertEquals(1, count.get(), "signals of the Mono of " + payload));
        assertEquals(signals.keySet(), acknowledged.keySet());
        Map<String, Entry> byPayload = new HashMap<>();
        for (Entry entry : log) {
            assertTrue(byPayload.put(entry.dataAsString(), entry) == null, "written twice: " + entry.dataAsString());
        }
        acknowledged.forEach((payload, result) -> {
            Entry stored = byPayload.get(payload);
            assertTrue(stored != null, "acknowledged but lost: " + payload);
            assertEquals(result.offset(), stored.offset(), payload);
            assertEquals(result.version(), stored.version(), payload);
        });
    }

    private void appendUntilStopped(EventLogClient client, int id) {
        for (int n = 0; running.get(); n++) {
            String payload = "{\"client\":" + id + ",\"n\":" + n + "}";
            AtomicInteger count = signals.computeIfAbsent(payload, p -> new AtomicInteger());
            CountDownLatch done = new CountDownLatch(1);
            client.append("c" + id, EventData.json("T", payload)).subscribe(result -> {
                count.incrementAndGet();
                acknowledged.put(payload, result);
                done.countDown();
            }, failure -> {
                count.incrementAndGet();
                failures.add(failure);
                done.countDown();
            });
            try {
                if (!done.await(SIGNAL_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    failures.add(new AssertionError("no signal for " + payload));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

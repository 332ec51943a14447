package io.eventlog.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.EventLogCommand;
import io.eventlog.server.testing.history.AnomalyType;
import io.eventlog.server.testing.history.CheckReport;
import io.eventlog.server.testing.history.EntryRef;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.HistoryChecker;
import io.eventlog.server.testing.history.Op;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-test tooling end to end on the single node: four appenders and a subscriber record a
 * {@link History} through a {@link TcpProxy} while {@code eventlog serve} is killed with SIGKILL and
 * restarted on the same data; after a final read the {@link HistoryChecker} must find the history valid.
 */
class HistoryKillNineTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+) ");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofMillis(2_500);

    @TempDir
    Path dir;

    @Test
    void aNodeKilledAndRestartedMidRunLeavesAValidHistory() throws Exception {
        Path file = dir.resolve("history.jsonl");
        try (History history = History.writingTo(file)) {
            Workload workload;
            TcpProxy proxy;
            try (JvmProcess first = serve(0)) {
                int port = port(first);
                proxy = TcpProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                HttpLogClient client = new HttpLogClient(URI.create("http://127.0.0.1:" + proxy.port()),
                        Duration.ofSeconds(2));
                workload = Workload.start(client, history);
                Thread.sleep(RUN.toMillis());
                first.kill9();
            }
            try (proxy; JvmProcess second = serve(proxy.target().getPort())) {
                port(second);
                Thread.sleep(RUN.toMillis());
                workload.stopAppending();
                Op read = workload.client.readLog(history, "final", 0);
                assertEquals(Op.Phase.OK, read.phase(), read::toString);
                List<EntryRef> log = read.entries();
                assertTrue(workload.awaitSubscriberAt(log.get(log.size() - 1).offset(), Duration.ofSeconds(10)),
                        "the subscriber did not catch up with the log's end, offset " + log.get(log.size() - 1).offset());
                workload.stopSubscribing();
            }
        }

        List<Op> recorded = History.read(file);
        CheckReport report = HistoryChecker.check(recorded);
        System.out.println("HistoryKillNineTest: " + report + " (history " + file + ")");
        assertTrue(report.isValid(), report::toString);
        assertTrue(report.appendsOk() > 100, report::toString);
        assertTrue(recorded.stream().filter(op -> op.is(Op.Type.SUBSCRIBE, Op.Phase.INVOKE)).count() >= 2,
                "the subscription was never resumed after the kill");

        // The same history with the last entry (delivered to the subscriber) gone from the final read: the
        // checker must see it.
        CheckReport tampered = HistoryChecker.check(recorded.stream().map(op -> op.is(Op.Type.READ_LOG, Op.Phase.OK)
                ? op.withEntries(op.entries().subList(0, op.entries().size() - 1)) : op).toList());
        assertEquals(Set.of(AnomalyType.LOST_WRITE), tampered.counts().keySet(), tampered::toString);
    }

    private JvmProcess serve(int port) {
        return JvmProcess.builder(EventLogCommand.class).name("serve")
                .stderrTo(dir.resolve("node-" + System.nanoTime() + ".log"))
                .args("serve", "--data=" + dir.resolve("data"), "--host=127.0.0.1", "--port=" + port).start();
    }

    private static int port(JvmProcess node) {
        Matcher matcher = LISTENING.matcher(node.awaitLine(l -> LISTENING.matcher(l).find(), START));
        assertTrue(matcher.find());
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * Four appenders (unique payloads over three streams; every fourth with an Idempotency-Key, retried
     * with it while its outcome is indeterminate) and one subscriber of the global log that resumes after
     * the last entry it was delivered whenever its stream ends.
     */
    private static final class Workload {
        private final HttpLogClient client;
        private final History history;
        private final List<Thread> appenders = new ArrayList<>();
        private final Thread subscriber;
        private volatile boolean appending = true;
        private volatile boolean subscribing = true;
        private volatile LogSubscription subscription;

        private Workload(HttpLogClient client, History history) {
            this.client = client;
            this.history = history;
            for (int w = 0; w < 4; w++) {
                String process = "appender-" + w;
                appenders.add(new Thread(() -> append(process), process));
            }
            subscription = client.subscribe(history, "subscriber", "sub-1", null, 0);
            subscriber = new Thread(this::resumeWhenEnded, "subscriber");
        }

        static Workload start(HttpLogClient client, History history) {
            Workload workload = new Workload(client, history);
            workload.appenders.forEach(Thread::start);
            workload.subscriber.start();
            return workload;
        }

        private void append(String process) {
            for (int seq = 0; appending; seq++) {
                String payload = process + "-" + seq;
                String key = seq % 4 == 0 ? "k-" + payload : null;
                Op outcome = client.append(history, process, "s" + seq % 3, payload, key);
                while (key != null && outcome.phase() == Op.Phase.INFO && appending) {
                    pause(50);
                    outcome = client.append(history, process, "s" + seq % 3, payload, key);
                }
                if (outcome.phase() != Op.Phase.OK) {
                    pause(50); // the node is down: no need to spin
                }
            }
        }

        private void resumeWhenEnded() {
            try {
                while (subscribing) {
                    if (subscription.awaitEnd(Duration.ofMillis(100)) && subscribing) {
                        pause(100);
                        subscription = client.resume(history, subscription);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stopAppending() throws InterruptedException {
            appending = false;
            for (Thread appender : appenders) {
                appender.join();
            }
        }

        boolean awaitSubscriberAt(long offset, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (subscription.lastPosition() < offset) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                pause(20);
            }
            return true;
        }

        void stopSubscribing() throws InterruptedException {
            subscribing = false;
            subscriber.join();
            subscription.close();
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

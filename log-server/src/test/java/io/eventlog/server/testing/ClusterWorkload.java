package io.eventlog.server.testing;

import io.eventlog.server.testing.history.EntryRef;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.Op;
import io.eventlog.server.testing.history.Op.Phase;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of a cluster fault test, every operation recorded in a {@link History}:
 * <ul>
 * <li>appenders, each bound to one node (spread over all of them), appending unique payloads to three
 *     streams one at a time, at a modest pace; every second appender sends an Idempotency-Key and retries an
 *     append whose outcome is unknown, with the same key, on the next nodes;</li>
 * <li>three subscriptions that resume on the next node whenever their run ends: the global log over SSE
 *     (ids are offsets), stream {@value #SUBSCRIBED_STREAM} over SSE (ids are versions), and the global log
 *     over NDJSON. They start on different nodes.</li>
 * </ul>
 */
public final class ClusterWorkload implements AutoCloseable {
    /** The stream one subscription follows. */
    public static final String SUBSCRIBED_STREAM = "s0";
    /** The subscriptions' ids in the history. */
    public static final String LOG_SSE = "log-sse";
    public static final String STREAM_SSE = SUBSCRIBED_STREAM + "-sse";
    public static final String LOG_NDJSON = "log-ndjson";
    private static final int STREAMS = 3;
    private static final int KEYED_RETRIES = 10;
    /** After an append that did not succeed: a node that is down answers at once, no need to spin on it. */
    private static final long PAUSE_AFTER_FAILURE_MILLIS = 100;
    /**
     * Between appends: this is not a benchmark. About 20 appends a second per appender keep the histories of
     * long runs small and leave the CPU to the nodes; the faults, not the rate, make the interesting cases.
     */
    private static final long THINK_MILLIS = 50;

    private final List<HttpLogClient> clients = new ArrayList<>();
    private final History history;
    private final List<Thread> appenders = new ArrayList<>();
    private final List<ResumingSubscription> logSubscriptions = new ArrayList<>();
    private final ResumingSubscription streamSubscription;
    private final AtomicInteger okAppends = new AtomicInteger();
    private volatile boolean appending = true;

    /**
     * @param nodes         every node's HTTP API
     * @param appenderCount how many appenders, spread over the nodes
     * @param clientTimeout how long a client waits for an answer (above the nodes' append timeout, so that the
     *                      node's own 504 is usually what ends an append whose outcome it cannot tell)
     */
    public ClusterWorkload(List<URI> nodes, History history, int appenderCount, Duration clientTimeout) {
        this.history = history;
        nodes.forEach(base -> clients.add(new HttpLogClient(base, clientTimeout)));
        logSubscriptions.add(new ResumingSubscription(clients, history, 0,
                clients.get(0).subscribeSse(history, "subscriber-" + LOG_SSE, LOG_SSE, null, 0)));
        streamSubscription = new ResumingSubscription(clients, history, 1 % clients.size(),
                clients.get(1 % clients.size()).subscribeSse(history, "subscriber-" + STREAM_SSE, STREAM_SSE,
                        SUBSCRIBED_STREAM, 0));
        logSubscriptions.add(new ResumingSubscription(clients, history, 2 % clients.size(),
                clients.get(2 % clients.size()).subscribe(history, "subscriber-" + LOG_NDJSON, LOG_NDJSON, null, 0)));
        for (int k = 0; k < appenderCount; k++) {
            int appender = k;
            Thread thread = new Thread(() -> append(appender), "appender-" + k);
            thread.setDaemon(true);
            appenders.add(thread);
            thread.start();
        }
    }

    /** Appends acknowledged so far. */
    public int okAppends() {
        return okAppends.get();
    }

    /** Waits until {@code count} appends in all have been acknowledged; fails on timeout. */
    public void awaitOkAppends(int count, Duration timeout) {
        Poll.until(count + " acknowledged appends", timeout,
                () -> okAppends.get() >= count ? Optional.of(true) : Optional.empty(),
                () -> okAppends.get() + " so far");
    }

    /** Stops the appenders and waits for their last appends to end. */
    public void stopAppending() throws InterruptedException {
        appending = false;
        for (Thread appender : appenders) {
            appender.join();
        }
    }

    /** Waits until every subscription has been delivered the end of {@code log} (a final read); fails on timeout. */
    public void awaitCaughtUp(List<EntryRef> log, Duration timeout) {
        if (log.isEmpty()) {
            return;
        }
        for (ResumingSubscription subscription : logSubscriptions) {
            subscription.awaitPosition(log.get(log.size() - 1).offset(), timeout);
        }
        log.stream().filter(e -> e.stream().equals(SUBSCRIBED_STREAM)).reduce((a, b) -> b)
                .ifPresent(last -> streamSubscription.awaitPosition(last.version(), timeout));
    }

    /** Stops the appenders (waiting for their last appends) and the subscriptions. */
    @Override
    public void close() throws InterruptedException {
        stopAppending();
        for (ResumingSubscription subscription : logSubscriptions) {
            subscription.stop();
        }
        streamSubscription.stop();
    }

    private void append(int appender) {
        String process = "appender-" + appender;
        int node = appender % clients.size();
        boolean keyed = appender % 2 == 1;
        for (long seq = 0; appending; seq++) {
            String payload = "a" + appender + "-" + seq;
            String stream = "s" + seq % STREAMS;
            String key = keyed ? "k-" + payload : null;
            Op outcome = clients.get(node).append(history, process, stream, payload, key);
            for (int retry = 1; keyed && outcome.phase() == Phase.INFO && retry <= KEYED_RETRIES && appending; retry++) {
                Poll.sleep(PAUSE_AFTER_FAILURE_MILLIS);
                outcome = clients.get((node + retry) % clients.size()).append(history, process, stream, payload, key);
            }
            if (outcome.phase() == Phase.OK) {
                okAppends.incrementAndGet();
                Poll.sleep(THINK_MILLIS);
            } else {
                Poll.sleep(PAUSE_AFTER_FAILURE_MILLIS);
            }
        }
    }
}

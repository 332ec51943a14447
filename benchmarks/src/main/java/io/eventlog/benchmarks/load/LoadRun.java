package io.eventlog.benchmarks.load;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One load run: {@code connections} closed loops (send an append, await the answer, repeat) over
 * reactor-netty's HTTP client with a pool of exactly that many connections.
 *
 * <p>Why reactor-netty and not N {@code java.net.http} clients: the generator shares the machine's cores
 * with the node, so it must spend as little CPU per request as it can, or it measures itself. One JDK
 * client per connection means one selector thread each (64 threads on 2 cores) and more copying per
 * request; reactor-netty drives all connections from a few event loops (at most one per core), sends the
 * prebuilt body without copying, and the fixed pool guarantees exactly N connections, each kept alive and
 * reused, so the node sees N steady HTTP/1.1 keep-alive clients.
 *
 * <p>Only a 201 is an append. A request counts where it completes: inside the measured window
 * (after the warm-up) or not at all.
 */
public final class LoadRun {
    /** Longest latency recorded exactly; longer ones are recorded as this. */
    private static final long MAX_LATENCY_MICROS = Duration.ofMinutes(1).toNanos() / 1000;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMillis(100);

    private final LoadConfig config;
    private final byte[] body;
    private final String[] paths;
    private final AtomicLong nextStream = new AtomicLong();
    private final LongAdder appends = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private long measureFrom;
    private long measureUntil;

    public LoadRun(LoadConfig config) {
        this.config = config;
        this.body = EventBodies.body(config.size(), config.batch());
        this.paths = new String[config.streams()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = "/v1/streams/" + config.streamPrefix() + "-" + i;
        }
    }

    /** Runs warm-up and measurement, then returns what was measured. */
    public LoadResult run() {
        ConnectionProvider pool = ConnectionProvider.builder("eventlog-load")
                .maxConnections(config.connections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(RESPONSE_TIMEOUT)
                .build();
        LoopResources loops = LoopResources.create("eventlog-load",
                Math.min(config.connections(), Runtime.getRuntime().availableProcessors()), true);
        try {
            HttpClient client = HttpClient.create(pool)
                    .runOn(loops)
                    .baseUrl(config.url().toString())
                    .responseTimeout(RESPONSE_TIMEOUT)
                    .headers(headers -> headers
                            .set(HttpHeaderNames.CONTENT_TYPE, EventBodies.contentType(config.batch()))
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length));
            long start = System.nanoTime();
            measureFrom = start + config.warmup().toNanos();
            measureUntil = measureFrom + config.duration().toNanos();
            Flux.range(0, config.connections())
                    .flatMap(worker -> Mono.defer(() -> append(client)).repeat(() -> System.nanoTime() < measureUntil),
                            config.connections())
                    .blockLast();
            Map<String, Long> errorCounts = new TreeMap<>();
            errors.forEach((key, count) -> errorCounts.put(key, count.sum()));
            Histogram histogram = latency.getIntervalHistogram();
            long requests = appends.sum();
            return new LoadResult(config, requests, requests * config.eventsPerRequest(), errorCounts, histogram);
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    private Mono<Void> append(HttpClient client) {
        String path = paths[(int) (nextStream.getAndIncrement() % paths.length)];
        long sent = System.nanoTime();
        return client.post()
                .uri(path)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(ignored -> response.status().code()))
                .doOnNext(status -> completed(status, sent))
                .then()
                .onErrorResume(failure -> {
                    failed(failure);
                    return Mono.delay(BACKOFF_AFTER_FAILURE).then();
                });
    }

    private void completed(int status, long sent) {
        long now = System.nanoTime();
        if (!measuring(now)) {
            return;
        }
        if (status == 201) {
            appends.increment();
            latency.recordValue(Math.min((now - sent) / 1000, MAX_LATENCY_MICROS));
        } else {
            errors.computeIfAbsent(Integer.toString(status), key -> new LongAdder()).increment();
        }
    }

    private void failed(Throwable failure) {
        if (measuring(System.nanoTime())) {
            String key = failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                    ? "timeout" : failure.getClass().getSimpleName();
            errors.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    private boolean measuring(long now) {
        return now >= measureFrom && now < measureUntil;
    }
}

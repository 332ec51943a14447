package io.eventlog.benchmarks.load;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One load run: {@code connections} closed loops (send an append, await the answer, repeat) over
 * reactor-netty's HTTP client with a pool of exactly that many connections, spread round robin over
 * the configured nodes.
 *
 * <p>Why reactor-netty and not N {@code java.net.http} clients: the generator shares the machine's cores
 * with the node, so it must spend as little CPU per request as it can, or it measures itself. One JDK
 * client per connection means one selector thread each (64 threads on 2 cores) and more copying per
 * request; reactor-netty drives all connections from a few event loops (at most one per core), sends the
 * prebuilt body without copying, and the fixed pool guarantees exactly N connections, each kept alive and
 * reused, so the node sees N steady HTTP/1.1 keep-alive clients. (The pool's limit holds per node, and
 * each node gets at most its share of the N closed loops.)
 *
 * <p>Only a 201 is an append. A request counts where it completes: inside the measured window
 * (after the warm-up) or not at all.
 */
public final class LoadRun {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMillis(100);

    private final LoadConfig config;
    private final byte[] body;
    private final String[] paths;
    private final AtomicLong nextStream = new AtomicLong();

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
            HttpClient[] clients = config.urls().stream()
                    .map(url -> HttpClient.create(pool)
                            .runOn(loops)
                            .baseUrl(url.toString())
                            .responseTimeout(RESPONSE_TIMEOUT)
                            .headers(headers -> headers
                                    .set(HttpHeaderNames.CONTENT_TYPE, EventBodies.contentType(config.batch()))
                                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)))
                    .toArray(HttpClient[]::new);
            Measurement measurement = Measurement.startingNow(config.warmup(), config.duration());
            Flux.range(0, config.connections())
                    .flatMap(worker -> Mono.defer(() -> append(clients[worker % clients.length], measurement))
                                    .repeat(measurement::running),
                            config.connections())
                    .blockLast();
            return measurement.result(config, config.eventsPerRequest());
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    private Mono<Void> append(HttpClient client, Measurement measurement) {
        String path = paths[(int) (nextStream.getAndIncrement() % paths.length)];
        long sent = System.nanoTime();
        return client.post()
                .uri(path)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(ignored -> response.status().code()))
                .doOnNext(status -> {
                    if (status == 201) {
                        measurement.succeeded(sent);
                    } else {
                        measurement.failed(Integer.toString(status));
                    }
                })
                .then()
                .onErrorResume(failure -> {
                    measurement.failed(failure);
                    return Mono.delay(BACKOFF_AFTER_FAILURE).then();
                });
    }
}

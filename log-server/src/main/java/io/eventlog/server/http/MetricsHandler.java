package io.eventlog.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** {@code GET /metrics}: the Prometheus text format (version 0.0.4) of the node's registry. */
final class MetricsHandler implements Router.Handler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, String stream) {
        return Mono.fromCallable(() -> registry.scrape().getBytes(StandardCharsets.UTF_8))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(text -> response.header(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                        .sendByteArray(Mono.just(text))
                        .then());
    }
}

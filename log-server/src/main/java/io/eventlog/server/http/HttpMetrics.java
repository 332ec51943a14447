package io.eventlog.server.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request metrics of the HTTP API: {@code eventlog_http_requests_seconds} (a timer tagged with
 * route, method and status; a subscription's time is its whole life) and
 * {@code eventlog_http_subscribers} (live subscriptions now).
 */
final class HttpMetrics {
    static final String REQUESTS = "eventlog.http.requests";
    static final String SUBSCRIBERS = "eventlog.http.subscribers";

    private final MeterRegistry registry;
    /** One timer per route, method and status, found without building a meter id per request. */
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry, SubscriberGate gate) {
        this.registry = registry;
        Gauge.builder(SUBSCRIBERS, gate, SubscriberGate::active)
                .description("live subscriptions served over HTTP")
                .register(registry);
    }

    void record(String route, String method, int status, long nanos) {
        timers.computeIfAbsent(route + ' ' + method + ' ' + status, key -> Timer.builder(REQUESTS)
                        .description("HTTP requests served, by route, method and status")
                        .tag("route", route)
                        .tag("method", method)
                        .tag("status", Integer.toString(status))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

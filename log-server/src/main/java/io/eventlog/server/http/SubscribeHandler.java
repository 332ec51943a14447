package io.eventlog.server.http;

import io.eventlog.api.EventLog;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.wire.ErrorBody;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /v1/streams/{stream}/subscribe} and {@code GET /v1/log/subscribe}: SSE for
 * {@code Accept: text/event-stream}, NDJSON otherwise. The headers go out at once; entries follow
 * as the node emits them. Writing follows Reactor backpressure: reactor-netty requests more
 * entries only as earlier writes complete, so a slow reader holds the node's emitter back
 * instead of filling the server's memory. A failure after the start ends the stream with an
 * error frame.
 */
final class SubscribeHandler implements Router.Handler {
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    /** Frames queued between the node's emitter and the writer, per subscription. */
    private static final int MERGE_PREFETCH = 32;

    private final EventLog log;
    private final Consumer<SubscribeRequest> startHeld;
    private final ReadRequestParser parser;
    private final SubscriberGate gate;
    private final Duration heartbeat;
    private final Mono<Void> shutdown;
    private final ErrorResponder errors;

    /** @param shutdown completes when the server stops: every subscription then ends */
    SubscribeHandler(EventLog log, Consumer<SubscribeRequest> startHeld, HttpConfig config, SubscriberGate gate,
                     Mono<Void> shutdown, ErrorResponder errors) {
        this.log = log;
        this.startHeld = startHeld;
        this.parser = new ReadRequestParser(config);
        this.gate = gate;
        this.heartbeat = config.heartbeatInterval();
        this.shutdown = shutdown;
        this.errors = errors;
    }

    @Override
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, String stream) {
        SubscribeRequest subscription;
        EntryEncoder encoder;
        try {
            subscription = parser.subscribe(stream, QueryParams.of(request.uri()),
                    request.requestHeaders().get(LAST_EVENT_ID));
            boolean sse = MediaTypes.preferred(request.requestHeaders().get(HttpHeaderNames.ACCEPT),
                    List.of(MediaTypes.EVENT_STREAM, MediaTypes.NDJSON), MediaTypes.NDJSON)
                    .equals(MediaTypes.EVENT_STREAM);
            encoder = sse ? new SseEncoder(stream == null) : NdjsonEncoder.INSTANCE;
            startHeld.accept(subscription);
            gate.acquire();
        } catch (RuntimeException e) {
            return errors.send(response, e, false);
        }
        AtomicBoolean released = new AtomicBoolean();
        Flux<byte[]> frames = withHeartbeats(log.subscribe(subscription).takeUntilOther(shutdown).map(encoder::entry),
                encoder)
                .onErrorResume(e -> Mono.just(encoder.error(ErrorBody.of(Failures.toEventLogException(e)))));
        return response.header(HttpHeaderNames.CONTENT_TYPE, encoder.contentType())
                .header(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .header("X-Accel-Buffering", "no")
                .sendHeaders()
                .send(frames.map(Unpooled::wrappedBuffer))
                .then()
                .doFinally(signal -> {
                    if (released.compareAndSet(false, true)) {
                        gate.release();
                    }
                });
    }

    /**
     * Adds a heartbeat frame whenever nothing was sent for a heartbeat interval. Ticks that find
     * the writer busy or backpressured are dropped, so they never queue up.
     */
    private Flux<byte[]> withHeartbeats(Flux<byte[]> entries, EntryEncoder encoder) {
        if (encoder.heartbeat() == null) {
            return entries;
        }
        AtomicLong lastSent = new AtomicLong(System.nanoTime());
        long intervalNanos = heartbeat.toNanos();
        Sinks.Empty<Void> entriesDone = Sinks.empty();
        Flux<byte[]> sent = entries.doOnNext(frame -> lastSent.set(System.nanoTime()))
                .doFinally(signal -> entriesDone.tryEmitEmpty());
        Flux<byte[]> beats = Flux.interval(heartbeat.dividedBy(4), heartbeat.dividedBy(4))
                .onBackpressureDrop()
                .takeUntilOther(entriesDone.asMono())
                .filter(tick -> System.nanoTime() - lastSent.get() >= intervalNanos)
                .map(tick -> {
                    lastSent.set(System.nanoTime());
                    return encoder.heartbeat();
                });
        return Flux.merge(MERGE_PREFETCH, sent, beats);
    }
}

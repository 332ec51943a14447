package io.eventlog.client.http;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.transport.ClusterInfo;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeConnection;
import io.eventlog.client.transport.NodeUnreachableException;
import io.eventlog.wire.AppendResultCodec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The requests of API.md to one node. Reads and subscriptions ask for NDJSON and decode it line by
 * line as the caller requests entries: reactor-netty reads the socket only while there is demand,
 * and at most one received chunk waits here, so a slow caller holds the node back through TCP
 * flow control instead of filling this process's memory.
 */
final class HttpNodeConnection implements NodeConnection {
    private static final byte[] EMPTY = new byte[0];
    /** Longest NDJSON line accepted: an entry holds at most a 1 MiB body by default, plus its fields. */
    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final NodeAddress address;
    private final HttpClient http;

    HttpNodeConnection(NodeAddress address, HttpClient shared) {
        this.address = address;
        this.http = shared.baseUrl("http://" + address);
    }

    @Override
    public NodeAddress address() {
        return address;
    }

    @Override
    public Mono<AppendResult> append(String stream, List<EventData> events, ExpectedVersion expected,
                                     String idempotencyKey, Duration timeout) {
        return Mono.fromCallable(() -> AppendBody.of(events)).flatMap(body -> http
                .headers(headers -> {
                    body.addHeaders(headers);
                    headers.set("Idempotency-Key", idempotencyKey);
                    if (!expected.isAny()) {
                        headers.set("Expected-Version", Long.toString(expected.value()));
                    }
                })
                .post()
                .uri(Paths.stream(stream))
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body.bytes())))
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(EMPTY)
                        .map(bytes -> {
                            if (response.status().code() / 100 != 2) {
                                throw answerError(response, bytes, stream);
                            }
                            return AppendResultCodec.decode(bytes);
                        }))
                .timeout(timeout))
                .onErrorMap(e -> HttpErrors.fromFailure(address, e, timeout));
    }

    @Override
    public Flux<Entry> read(ReadRequest request, Duration timeout) {
        String uri = Paths.read(request);
        // The timeout covers the wait for the first entry (or the end): later a slow caller may pause the body at will.
        return entries(uri, request.stream(), body -> body)
                .timeout(Mono.delay(timeout), entry -> Mono.never())
                .onErrorMap(e -> HttpErrors.fromFailure(address, e, timeout));
    }

    @Override
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return entries(Paths.subscribe(request), request.stream(),
                body -> body.concatWith(Flux.error(() -> new NodeUnreachableException(address,
                        "the node ended the subscription", null))))
                .onErrorMap(e -> HttpErrors.fromFailure(address, e, Duration.ZERO));
    }

    @Override
    public Mono<ClusterInfo> cluster(Duration timeout) {
        return http.get().uri(Paths.CLUSTER)
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(EMPTY).map(bytes -> {
                    if (response.status().code() != 200) {
                        throw answerError(response, bytes, null);
                    }
                    return ClusterInfoCodec.decode(bytes);
                }))
                .timeout(timeout)
                .onErrorMap(e -> HttpErrors.fromFailure(address, e, timeout));
    }

    /**
     * The entries of an NDJSON response, or its error. {@code onEnd} decides what the end of a
     * successful body means (the end of a read; a lost subscription).
     */
    private Flux<Entry> entries(String uri, String stream, Function<Flux<Entry>, Flux<Entry>> onEnd) {
        return http.headers(headers -> headers.set(HttpHeaderNames.ACCEPT, AppendBody.NDJSON))
                .get()
                .uri(uri)
                .response((response, body) -> response.status().code() == 200
                        ? onEnd.apply(decode(body, stream))
                        : body.aggregate().asByteArray().defaultIfEmpty(EMPTY)
                                .flatMapMany(bytes -> Flux.error(answerError(response, bytes, stream))));
    }

    private Flux<Entry> decode(ByteBufFlux body, String stream) {
        NdjsonLines lines = new NdjsonLines(MAX_LINE_BYTES);
        // Prefetch 1: one chunk at a time is taken from the connection, and only when its lines are used up.
        return body.asByteArray()
                .concatMapIterable(lines::next, 1)
                .map(line -> EntryLines.decode(line, stream))
                .concatWith(Mono.defer(() -> lines.hasPartialLine()
                        ? Mono.error(new NodeUnreachableException(address, "the body ended inside an entry", null))
                        : Mono.empty()));
    }

    private EventLogException answerError(HttpClientResponse response, byte[] body, String stream) {
        return HttpErrors.fromAnswer(address, response.status().code(), response.responseHeaders(), body, stream);
    }

    @Override
    public void close() {
        // The connections belong to the transport's pool.
    }

    @Override
    public String toString() {
        return "http://" + address;
    }
}

package io.eventlog.server.http;

import io.eventlog.api.AppendResult;
import io.eventlog.api.EventLog;
import io.eventlog.wire.AppendResultCodec;
import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code POST /v1/streams/{stream}}: one event or an NDJSON batch; 201 with the append result.
 * Most appends are served by {@link DirectAppends} without reactor-netty, through
 * {@link #head} and {@link #append}; this route takes the rest (a chunked or oversize body, a
 * refused head, HTTP/1.0, {@code Expect}, a request pipelined behind another).
 */
final class AppendHandler implements Router.Handler {
    private final EventLog log;
    private final AppendRequestParser parser;
    private final BodyReader bodies;
    private final ErrorResponder errors;

    AppendHandler(EventLog log, HttpConfig config, ErrorResponder errors) {
        this.log = log;
        this.parser = new AppendRequestParser(config.maxBatchEvents());
        this.bodies = new BodyReader(config.maxBodyBytes());
        this.errors = errors;
    }

    @Override
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, String stream) {
        AppendRequestParser.Head head;
        try {
            head = head(stream, request.requestHeaders());
        } catch (RuntimeException e) {
            return errors.send(response, e, ErrorResponder.declaresBody(request));
        }
        // The append completes on the connection's event loop (it is submitted from there), so the
        // answer is written without a hand-off.
        return bodies.read(request)
                .flatMap(body -> append(head, body))
                .flatMap(result -> JsonResponses.send(response, created(result)))
                .onErrorResume(e -> errors.send(response, e, false));
    }

    /** What the request's headers ask for; throws the contract's error for a bad one. */
    AppendRequestParser.Head head(String stream, HttpHeaders headers) {
        return parser.head(stream, headers);
    }

    /** Appends the events of {@code body}; a bad body is an error signal, not a throw. */
    Mono<AppendResult> append(AppendRequestParser.Head head, byte[] body) {
        return Mono.defer(() -> log.append(head.stream(), parser.events(head, body), head.options()));
    }

    static JsonAnswer created(AppendResult result) {
        return JsonAnswer.of(201, AppendResultCodec.encode(result));
    }
}

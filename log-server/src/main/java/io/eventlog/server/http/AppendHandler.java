package io.eventlog.server.http;

import io.eventlog.api.EventLog;
import io.eventlog.wire.AppendResultCodec;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** {@code POST /v1/streams/{stream}}: one event or an NDJSON batch; 201 with the append result. */
final class AppendHandler implements Router.Handler {
    private final EventLog log;
    private final AppendRequestParser parser;
    private final BodyReader bodies;
    private final ErrorResponder errors;
    private final Map<EventLoop, Scheduler> eventLoops = new ConcurrentHashMap<>();

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
            head = parser.head(stream, request.requestHeaders());
        } catch (RuntimeException e) {
            return errors.send(response, e, ErrorResponder.declaresBody(request));
        }
        return bodies.read(request)
                .flatMap(body -> log.append(head.stream(), parser.events(head, body), head.options()))
                // The append completes on the writer's acknowledgement thread: answering from the
                // connection's own event loop lets netty write and flush there directly, instead of
                // handing every write of the response over to the loop as a task.
                .publishOn(eventLoopScheduler(request))
                .flatMap(result -> JsonResponses.send(response, 201, AppendResultCodec.encode(result)))
                .onErrorResume(e -> errors.send(response, e, false));
    }

    /** A scheduler on the request's event loop; one per loop, made once. */
    private Scheduler eventLoopScheduler(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return eventLoops.computeIfAbsent(loop[0], Schedulers::fromExecutor);
    }
}

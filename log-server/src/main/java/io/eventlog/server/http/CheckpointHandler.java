package io.eventlog.server.http;

import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.wire.JsonOut;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code POST /v1/admin/checkpoint}: has the node write a checkpoint now and answers 200
 * {@code {"offset":O,"file":"..."}} once it is durable (offset -1 and file null for an empty log).
 */
final class CheckpointHandler implements Router.Handler {
    private final Supplier<Mono<Checkpoint>> checkpoint;
    private final ErrorResponder errors;

    CheckpointHandler(Supplier<Mono<Checkpoint>> checkpoint, ErrorResponder errors) {
        this.checkpoint = checkpoint;
        this.errors = errors;
    }

    @Override
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, String stream) {
        return Mono.defer(checkpoint)
                .flatMap(written -> JsonResponses.send(response, 200, encode(written)))
                .onErrorResume(e -> errors.send(response, e, ErrorResponder.declaresBody(request)));
    }

    static byte[] encode(Checkpoint checkpoint) {
        JsonOut out = new JsonOut(128).raw('{');
        out.field("offset", true).number(checkpoint.offset());
        out.field("file", false);
        if (checkpoint.file() == null) {
            out.ascii("null");
        } else {
            out.string(checkpoint.file().toAbsolutePath().toString());
        }
        return out.raw('}').toByteArray();
    }
}

package io.eventlog.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Sends a complete JSON body with its status on reactor-netty's response. */
final class JsonResponses {
    private JsonResponses() {
    }

    static Mono<Void> send(HttpServerResponse response, int status, byte[] json) {
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, JsonAnswer.JSON_UTF8)
                .sendByteArray(Mono.just(json))
                .then();
    }

    static Mono<Void> send(HttpServerResponse response, JsonAnswer answer) {
        response.responseHeaders().add(answer.headers());
        if (answer.close()) {
            response.keepAlive(false);
        }
        return send(response, answer.status(), answer.json());
    }
}

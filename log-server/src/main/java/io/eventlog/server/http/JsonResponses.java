package io.eventlog.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Sends a complete JSON body with its status. */
final class JsonResponses {
    static final String JSON_UTF8 = "application/json";

    private JsonResponses() {
    }

    static Mono<Void> send(HttpServerResponse response, int status, byte[] json) {
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, JSON_UTF8)
                .sendByteArray(Mono.just(json))
                .then();
    }
}

package io.eventlog.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A whole JSON response, before any transport sends it: reactor-netty's response
 * ({@link JsonResponses}) or a netty message written straight to the channel ({@link #toResponse}).
 *
 * @param headers headers besides Content-Type and Content-Length (Allow, Location, Retry-After)
 * @param close   whether the connection closes after this response
 */
record JsonAnswer(int status, byte[] json, HttpHeaders headers, boolean close) {
    static final String JSON_UTF8 = "application/json";
    /** The names and values set here are constants or already checked, so netty need not validate them again. */
    private static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    static JsonAnswer of(int status, byte[] json) {
        return new JsonAnswer(status, json, EmptyHttpHeaders.INSTANCE, false);
    }

    /** The answer as one netty message; {@code close} also when the request asked for it. */
    FullHttpResponse toResponse(boolean closeConnection) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(json), UNVALIDATED, UNVALIDATED);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, JSON_UTF8)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .add(headers);
        if (close || closeConnection) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}

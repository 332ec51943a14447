package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.server.cluster.NotLeaderException;
import io.eventlog.api.EventLogException;
import io.eventlog.wire.ErrorBody;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Maps any failure to the contract's status and JSON error body, with the headers some codes
 * call for: {@code Allow} on 405, {@code Retry-After} on 503, {@code Connection: close} when the
 * request body was not read (so the server does not read what it refused).
 */
final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    /** Seconds a client should wait before retrying a 503. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** Whether a request announces a body (a non-zero Content-Length or a chunked one). */
    static boolean declaresBody(HttpServerRequest request) {
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.requestHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING, "chunked", true);
    }

    /**
     * Sends the error; fails (and so resets the connection) when the response has already begun.
     *
     * @param bodyUnread whether the request may still carry body bytes the server did not read
     */
    Mono<Void> send(HttpServerResponse response, Throwable error, boolean bodyUnread) {
        if (Failures.isClientGone(error)) {
            LOG.debug("client went away: {}", error.toString());
            return Mono.empty(); // nobody to answer; not a failure of this node
        }
        if (response.hasSentHeaders()) {
            return Mono.error(error);
        }
        return JsonResponses.send(response, answer(error, response.uri(), bodyUnread));
    }

    /**
     * The answer to a failure of the request to {@code uri}, for a client still there.
     *
     * @param bodyUnread whether the request may still carry body bytes the server did not read
     */
    static JsonAnswer answer(Throwable error, String uri, boolean bodyUnread) {
        EventLogException e = Failures.toEventLogException(error);
        HttpHeaders headers = new DefaultHttpHeaders();
        if (e instanceof MethodNotAllowedException notAllowed) {
            headers.set(HttpHeaderNames.ALLOW, notAllowed.allowHeader());
        }
        if (e instanceof NotLeaderException notLeader) {
            headers.set(HttpHeaderNames.LOCATION, "http://" + notLeader.leaderAddress() + uri);
        }
        if (e.code() == ErrorCode.NO_LEADER || e.code() == ErrorCode.UNAVAILABLE) {
            headers.set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return new JsonAnswer(e.code().httpStatus(), ErrorBody.of(e).encode(), headers,
                bodyUnread || e.code() == ErrorCode.TOO_LARGE);
    }
}

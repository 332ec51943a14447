package io.eventlog.client.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.client.transport.LeaderRedirectException;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeUnreachableException;
import io.eventlog.wire.ErrorBody;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import reactor.netty.channel.AbortedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Turns what went wrong with one HTTP exchange into the exception the client reports. */
final class HttpErrors {
    private static final int SHOWN_BODY_CHARS = 200;

    private HttpErrors() {
    }

    /**
     * The exception for an answer that is not a success: the server's JSON error with its code, a
     * redirect to the leader for 307, or, for a body that is not an error body (a proxy's page), the
     * status and the start of the body.
     *
     * @param stream the stream the request named, or null
     */
    static EventLogException fromAnswer(NodeAddress node, int status, HttpHeaders headers, byte[] body, String stream) {
        if (status == 307 || status == 308) {
            String location = headers.get(HttpHeaderNames.LOCATION);
            if (location != null) {
                return new LeaderRedirectException(node, NodeAddress.ofUrl(location));
            }
        }
        try {
            return withSpecificType(ErrorBody.decode(body).toException(stream), stream);
        } catch (EventLogException notAnErrorBody) {
            String text = new String(body, StandardCharsets.UTF_8);
            return new EventLogException(codeOf(status), "node " + node + " answered HTTP " + status + ": "
                    + (text.length() > SHOWN_BODY_CHARS ? text.substring(0, SHOWN_BODY_CHARS) + "..." : text));
        }
    }

    /** The exception subclass the model has for a code, where it has one. */
    static EventLogException withSpecificType(EventLogException e, String stream) {
        if (e.code() == ErrorCode.STREAM_NOT_FOUND && stream != null && !(e instanceof StreamNotFoundException)) {
            return new StreamNotFoundException(stream);
        }
        return e;
    }

    /**
     * The exception for a failed exchange: ours unchanged, a timeout as {@code TIMEOUT}, anything on
     * the connection (refused, reset, closed early) as {@link NodeUnreachableException}.
     */
    static Throwable fromFailure(NodeAddress node, Throwable failure, Duration timeout) {
        if (failure instanceof EventLogException) {
            return failure;
        }
        if (failure instanceof ReadTimeoutException || failure instanceof TimeoutException) {
            return new EventLogException(ErrorCode.TIMEOUT, "node " + node + " did not answer within " + timeout, failure);
        }
        if (failure instanceof IOException || failure instanceof AbortedException) {
            return new NodeUnreachableException(node, failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                    failure);
        }
        return failure;
    }

    /** A code for a status whose body is not one of ours: 5xx stay retryable where the contract's would be. */
    private static ErrorCode codeOf(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.TOO_LARGE;
            case 502, 503 -> ErrorCode.UNAVAILABLE;
            case 504 -> ErrorCode.TIMEOUT;
            default -> status >= 400 && status < 500 ? ErrorCode.INVALID_PARAMETER : ErrorCode.INTERNAL;
        };
    }
}

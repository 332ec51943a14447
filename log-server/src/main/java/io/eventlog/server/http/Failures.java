package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/** What a failure met while serving a client (over HTTP or the binary protocol) means to that client. */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /** The failure as one of the contract's errors; anything unexpected becomes {@code internal} and is logged. */
    public static EventLogException toEventLogException(Throwable error) {
        if (error instanceof EventLogException e) {
            return e;
        }
        if (error instanceof TimeoutException) {
            return new EventLogException(ErrorCode.TIMEOUT, "the node did not answer in time", error);
        }
        LOG.error("unexpected failure serving a request", error);
        return new EventLogException(ErrorCode.INTERNAL, "internal error: " + error.getClass().getSimpleName(), error);
    }

    /** Whether the failure is a client closing or resetting the connection: nobody to answer, not a fault of the node. */
    public static boolean isClientGone(Throwable error) {
        return error instanceof AbortedException || error instanceof PrematureCloseException
                || error instanceof ClosedChannelException || AbortedException.isConnectionReset(error);
    }
}

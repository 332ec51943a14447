package io.eventlog.server.cli;

import io.eventlog.server.http.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

/**
 * Where errors Reactor could not deliver go in a served node. A client resetting its connection in
 * the middle of a request reaches reactor-netty after the request's pipeline has ended, and Reactor's
 * default logs that as an ERROR; here it is a debug line, and anything else stays an ERROR with its
 * stack trace. Set by {@code serve} only: an application embedding a node keeps its own hooks.
 */
final class DroppedErrors {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedErrors.class);

    private DroppedErrors() {
    }

    static void logQuietlyWhenClientsLeave() {
        Hooks.onErrorDropped(error -> {
            if (Failures.isClientGone(error)) {
                LOG.debug("a client left: {}", error.toString());
            } else {
                LOG.error("an error arrived after its request had ended", error);
            }
        });
    }
}

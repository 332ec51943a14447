package io.eventlog.binary;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/**
 * The connection to the node could not be made or was lost. A request in flight may or may not
 * have taken effect (retry an append with the same idempotency key); it can be retried elsewhere.
 */
public final class ConnectionLostException extends EventLogException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}

package io.eventlog.binary;

import io.eventlog.api.EventLogException;

/** A well-formed frame whose request is invalid (a bad stream name, a negative limit...): only that request fails. */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long requestId;

    InvalidRequestException(long requestId, EventLogException cause) {
        super(cause.getMessage(), cause);
        this.requestId = requestId;
    }

    public long requestId() {
        return requestId;
    }

    @Override
    public synchronized EventLogException getCause() {
        return (EventLogException) super.getCause();
    }
}

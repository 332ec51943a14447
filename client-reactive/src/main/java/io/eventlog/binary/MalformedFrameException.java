package io.eventlog.binary;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/** A frame that does not parse: the peer and this side no longer agree on the stream, so the connection ends. */
public final class MalformedFrameException extends EventLogException {
    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(ErrorCode.INVALID_FRAME, message);
    }
}

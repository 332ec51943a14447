package io.eventlog.server.transport;

/**
 * Bytes from a peer that do not decode: a truncated or oversize frame, an unknown type, a length
 * running past the end, trailing bytes, or a field no sender would write. The connection that
 * carried them is closed; no other connection is affected.
 */
public final class MalformedFrameException extends RuntimeException {
    public MalformedFrameException(String message) {
        super(message);
    }
}

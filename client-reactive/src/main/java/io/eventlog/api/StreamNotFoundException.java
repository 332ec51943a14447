package io.eventlog.api;

/** A read named a stream that has no entries (404 over HTTP). */
public final class StreamNotFoundException extends EventLogException {
    private static final long serialVersionUID = 1L;

    public StreamNotFoundException(String stream) {
        super(ErrorCode.STREAM_NOT_FOUND, "stream '" + stream + "' does not exist");
    }
}

package io.eventlog.api;

/** Every failure eventlog reports carries one of the contract's {@link ErrorCode}s. */
public class EventLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EventLogException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public EventLogException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}

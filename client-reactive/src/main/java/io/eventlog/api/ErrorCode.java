package io.eventlog.api;

/**
 * The error codes of the contract (API.md). One enum shared by the HTTP layer, the embedded
 * node and the client, so that an error means the same thing everywhere.
 */
public enum ErrorCode {
    INVALID_STREAM("invalid_stream", 400),
    INVALID_JSON("invalid_json", 400),
    EMPTY_BODY("empty_body", 400),
    INVALID_HEADER("invalid_header", 400),
    INVALID_PARAMETER("invalid_parameter", 400),
    /** A binary-protocol frame that does not parse (the connection is closed after it). */
    INVALID_FRAME("invalid_frame", 400),
    TOO_LARGE("too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    WRONG_EXPECTED_VERSION("wrong_expected_version", 409),
    STREAM_NOT_FOUND("stream_not_found", 404),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    OFFSET_EXPIRED("offset_expired", 410),
    TOO_MANY_SUBSCRIBERS("too_many_subscribers", 429),
    NO_LEADER("no_leader", 503),
    /** A cluster admin request reached a follower: the answer redirects to the leader ({@code Location}). */
    NOT_LEADER("not_leader", 307),
    /** A cluster admin request conflicts with the membership (already a member, a change in progress, ...). */
    CONFLICT("conflict", 409),
    UNAVAILABLE("unavailable", 503),
    TIMEOUT("timeout", 504),
    INTERNAL("internal", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The machine code as it appears in the JSON body's {@code error} field. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The enum constant for a wire code; {@link #INTERNAL} for a code this version does not know. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        return INTERNAL;
    }

    /** Whether a client may retry the same request elsewhere or later and expect a different outcome. */
    public boolean retryable() {
        return this == NO_LEADER || this == UNAVAILABLE || this == TIMEOUT;
    }
}

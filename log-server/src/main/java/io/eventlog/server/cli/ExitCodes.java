package io.eventlog.server.cli;

import io.eventlog.api.ErrorCode;

/**
 * The exit codes of the {@code eventlog} client commands, and the one place that maps a node's
 * HTTP answer to them.
 *
 * <pre>
 *   0  success
 *   1  server error (5xx) or any other unexpected answer
 *   2  usage or bad input: a command line error, or the node answered 400, 413 or 415
 *   3  node unreachable: connection refused, timed out or lost
 *   4  conflict: 409 wrong_expected_version
 *   5  not found: 404 stream_not_found
 * </pre>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SERVER_ERROR = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int CONFLICT = 4;
    public static final int NOT_FOUND = 5;

    private ExitCodes() {
    }

    /**
     * The exit code for an error answer.
     *
     * @param status    the HTTP status
     * @param errorCode the JSON body's {@code error} field, or null when the body had none
     */
    public static int forResponse(int status, String errorCode) {
        if (status == 409 || ErrorCode.WRONG_EXPECTED_VERSION.code().equals(errorCode)) {
            return CONFLICT;
        }
        if (status == 404 && ErrorCode.STREAM_NOT_FOUND.code().equals(errorCode)) {
            return NOT_FOUND;
        }
        return switch (status) {
            case 400, 413, 415 -> USAGE;
            default -> SERVER_ERROR;
        };
    }
}

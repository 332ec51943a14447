package io.eventlog.server.testing;

import io.eventlog.api.ErrorCode;
import io.eventlog.server.testing.history.Op.Phase;
import io.eventlog.wire.ErrorBody;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * How an HTTP append ended, as a history records it (API.md): {@link Phase#OK} when it was committed,
 * {@link Phase#FAIL} only when it definitely was not applied, {@link Phase#INFO} whenever it may have been.
 * Calling a failure indeterminate only weakens a check; calling an applied append failed would make the
 * checker report a false anomaly, so whatever is not certain is INFO.
 */
public final class AppendOutcomes {
    private AppendOutcomes() {
    }

    /**
     * 201: committed. A 4xx but 408 (bad request, 409 wrong expected version, 413, 415, ...): refused,
     * nothing stored. 503 {@code no_leader}: no leader known, so the node took nothing in. Everything else,
     * 408, 500, 502, 504 and any other 503 among them, may come after the append was applied.
     */
    public static Phase ofStatus(int status, byte[] body) {
        if (status == 201) {
            return Phase.OK;
        }
        if (status / 100 == 4 && status != 408) {
            return Phase.FAIL;
        }
        return status == 503 && ErrorCode.NO_LEADER.code().equals(errorCode(body)) ? Phase.FAIL : Phase.INFO;
    }

    /**
     * A request that could not connect was never sent: FAIL. Any other failure (a timeout, a reset or
     * closed connection) may have come after the node received the request: INFO.
     */
    public static Phase ofFailure(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException
                ? Phase.FAIL : Phase.INFO;
    }

    /** The {@code error} code of an error body, or null when the body is not one. */
    static String errorCode(byte[] body) {
        try {
            return ErrorBody.decode(body).error();
        } catch (RuntimeException notAnErrorBody) {
            return null;
        }
    }

    static String describe(int status, byte[] body) {
        return "HTTP " + status + " " + new String(body, StandardCharsets.UTF_8).strip();
    }
}

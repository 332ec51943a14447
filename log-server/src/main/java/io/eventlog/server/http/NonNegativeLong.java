package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/** Strict parsing of a non-negative decimal integer from a query parameter or a header. */
final class NonNegativeLong {
    private NonNegativeLong() {
    }

    /**
     * The value as a long; anything but decimal digits (a sign, spaces, an empty string) or a
     * value above {@link Long#MAX_VALUE} fails with {@code code}.
     *
     * @param what names the value in the message, e.g. "parameter limit" or "header Last-Event-ID"
     */
    static long parse(String what, String value, ErrorCode code) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new EventLogException(code, what + " must be a non-negative integer, was '" + shorten(value) + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new EventLogException(code, what + " is too large: " + shorten(value));
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}

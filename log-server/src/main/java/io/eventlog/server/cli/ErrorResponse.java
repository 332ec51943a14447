package io.eventlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * An error answer of a node: {@code {"error": code, "message": text}} (API.md), with the
 * {@code expected}/{@code actual} fields of a 409. A body that is not such JSON (a proxy's HTML
 * page, say) is kept as text, shortened.
 *
 * @param status   the HTTP status
 * @param code     the machine code, or null when the body had none
 * @param message  the human text, never null
 * @param expected the expected version of a 409, or null
 * @param actual   the actual version of a 409, or null
 */
public record ErrorResponse(int status, String code, String message, Long expected, Long actual) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    public static ErrorResponse parse(int status, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject() && node.hasNonNull("error")) {
                return new ErrorResponse(status, node.get("error").asText(),
                        node.path("message").asText(""), longOrNull(node, "expected"), longOrNull(node, "actual"));
            }
        } catch (IOException notJson) {
            // described as text below
        }
        String text = body.strip();
        return new ErrorResponse(status, null, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text,
                null, null);
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : null;
    }

    /** The exit code this answer maps to. */
    public int exitCode() {
        return ExitCodes.forResponse(status, code);
    }

    /** One line for stderr, e.g. {@code HTTP 409 wrong_expected_version: ... (expected 3, actual 5)}. */
    public String describe() {
        StringBuilder line = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            line.append(' ').append(code);
        }
        if (!message.isEmpty()) {
            line.append(": ").append(message);
        }
        if (expected != null || actual != null) {
            line.append(" (expected ").append(expected).append(", actual ").append(actual).append(')');
        }
        return line.toString();
    }
}

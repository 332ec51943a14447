package io.eventlog.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.WrongExpectedVersionException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON body of every error (API.md): {@code {"error": "<code>", "message": "<text>", ...}}
 * with extra fields for some codes, such as {@code expected} and {@code actual} for
 * {@code wrong_expected_version}.
 *
 * @param error   the machine code, as on the wire (kept as text so unknown codes survive)
 * @param message the human text
 * @param extra   further fields, in order; values are strings, numbers, booleans or null
 */
public record ErrorBody(String error, String message, Map<String, Object> extra) {

    public ErrorBody {
        Objects.requireNonNull(error, "error");
        message = message == null ? "" : message;
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.code(), message, Map.of());
    }

    /** The body describing an exception, with {@code expected}/{@code actual} for a version conflict. */
    public static ErrorBody of(EventLogException e) {
        if (e instanceof WrongExpectedVersionException wrong) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("expected", wrong.expected());
            extra.put("actual", wrong.actual());
            return new ErrorBody(e.code().code(), e.getMessage(), extra);
        }
        return of(e.code(), e.getMessage());
    }

    public ErrorCode code() {
        return ErrorCode.fromCode(error);
    }

    /**
     * The exception a client raises for this body; a version conflict keeps its numbers, and a
     * missing stream is a {@link StreamNotFoundException}.
     *
     * @param stream the stream the failed request named (for the conflict's message), or null
     */
    public EventLogException toException(String stream) {
        if (code() == ErrorCode.WRONG_EXPECTED_VERSION
                && extra.get("expected") instanceof Number expected && extra.get("actual") instanceof Number actual) {
            return new WrongExpectedVersionException(stream == null ? "" : stream,
                    expected.longValue(), actual.longValue());
        }
        if (code() == ErrorCode.STREAM_NOT_FOUND && stream != null) {
            return new StreamNotFoundException(stream);
        }
        return new EventLogException(code(), message);
    }

    public byte[] encode() {
        JsonOut out = new JsonOut(64 + message.length());
        out.raw('{');
        out.field("error", true).string(error);
        out.field("message", false).string(message);
        for (Map.Entry<String, Object> field : extra.entrySet()) {
            out.field(field.getKey(), false);
            Object value = field.getValue();
            if (value == null || value instanceof Number || value instanceof Boolean) {
                out.ascii(String.valueOf(value));
            } else {
                out.string(value.toString());
            }
        }
        return out.raw('}').toByteArray();
    }

    public static ErrorBody decode(byte[] json) {
        try (JsonParser p = WireJson.parser(json, 0, json.length)) {
            WireJson.expect(p, JsonToken.START_OBJECT, "an error object");
            String error = null;
            String message = null;
            Map<String, Object> extra = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "error" -> error = p.getText();
                    case "message" -> message = p.getText();
                    default -> {
                        Object scalar = scalar(p, value);
                        if (scalar != null) {
                            extra.put(name, scalar);
                        }
                    }
                }
            }
            WireJson.expectEnd(p);
            if (error == null) {
                throw WireJson.malformed("an error body needs an \"error\" field");
            }
            return new ErrorBody(error, message, extra);
        } catch (IOException e) {
            throw WireJson.malformed(e);
        }
    }

    private static Object scalar(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_STRING -> p.getText();
            default -> {
                p.skipChildren();
                yield null;
            }
        };
    }
}

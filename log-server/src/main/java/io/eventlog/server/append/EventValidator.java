package io.eventlog.server.append;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an event before it is written and returns its data as stored: exactly one JSON value
 * (Jackson's strict parser: no NaN, no trailing data, valid UTF-8), on one line. Data that spans
 * lines is rewritten compactly, because entries are framed by newlines in NDJSON and SSE.
 * Runs on the appending thread, never on the single writer.
 */
public final class EventValidator {
    public static final int MAX_TYPE_LENGTH = 256;
    public static final int MAX_HEADER_NAME_LENGTH = 256;
    public static final int MAX_HEADER_VALUE_LENGTH = 8192;
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final JsonFactory json = JsonFactory.builder().build();

    /** The event as it will be stored: data compacted, header names lower-cased. */
    public EventData validate(EventData event) {
        return new EventData(checkType(event.type()), checkHeaders(event.headers()), checkData(event.data()));
    }

    private static String checkType(String type) {
        if (type != null && (type.isEmpty() || type.length() > MAX_TYPE_LENGTH || hasControl(type))) {
            throw new EventLogException(ErrorCode.INVALID_HEADER,
                    "an event type is 1 to " + MAX_TYPE_LENGTH + " printable characters");
        }
        return type;
    }

    private static Map<String, String> checkHeaders(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.length() > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.matcher(name).matches()) {
                throw new EventLogException(ErrorCode.INVALID_HEADER, "invalid entry header name '" + name
                        + "': 1 to " + MAX_HEADER_NAME_LENGTH + " characters of [a-z0-9._-]");
            }
            String value = header.getValue();
            if (value == null || value.length() > MAX_HEADER_VALUE_LENGTH || hasControl(value)) {
                throw new EventLogException(ErrorCode.INVALID_HEADER, "invalid value of entry header '" + name
                        + "': at most " + MAX_HEADER_VALUE_LENGTH + " printable characters");
            }
            checked.put(name, value);
        }
        return checked;
    }

    private byte[] checkData(byte[] data) {
        // Plain JSON is a value on one line (never blank, never a line break outside a string):
        // the scans below are needed only for what the quick check leaves to Jackson.
        if (PlainJson.isPlainValue(data)) {
            return trim(data);
        }
        boolean multiLine = false;
        boolean blank = true;
        for (byte b : data) {
            multiLine |= b == '\n' || b == '\r';
            blank &= b == ' ' || b == '\t' || b == '\n' || b == '\r';
        }
        if (blank) {
            throw new EventLogException(ErrorCode.EMPTY_BODY, "the event has no JSON value");
        }
        try (JsonParser parser = json.createParser(data)) {
            ByteArrayOutputStream compact = multiLine ? new ByteArrayOutputStream(data.length) : null;
            try (JsonGenerator out = compact == null ? null : json.createGenerator(compact)) {
                parser.nextToken();
                if (out == null) {
                    parser.skipChildren();
                } else {
                    out.copyCurrentStructure(parser);
                }
                JsonToken trailing = parser.nextToken();
                if (trailing != null) {
                    throw new EventLogException(ErrorCode.INVALID_JSON,
                            "invalid JSON: more than one value (trailing " + trailing + " at byte "
                                    + parser.currentTokenLocation().getByteOffset() + ")");
                }
            }
            return compact == null ? trim(data) : compact.toByteArray();
        } catch (StreamReadException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset());
        } catch (IOException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getMessage());
        }
    }

    private static byte[] trim(byte[] data) {
        int start = 0;
        int end = data.length;
        while (start < end && (data[start] == ' ' || data[start] == '\t')) {
            start++;
        }
        while (end > start && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
            end--;
        }
        return start == 0 && end == data.length ? data : java.util.Arrays.copyOfRange(data, start, end);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}

package io.eventlog.server.http;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.StreamName;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an append request (API.md "Append"): headers first, so that a bad header is
 * refused before the body is read, then the body as one event or an NDJSON batch.
 */
final class AppendRequestParser {
    static final AsciiString EXPECTED_VERSION = AsciiString.cached("Expected-Version");
    static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("Idempotency-Key");
    static final AsciiString EVENT_TYPE = AsciiString.cached("Event-Type");
    static final String EVENT_HEADER_PREFIX = "event-header-";
    /** Longest event type accepted, in characters. */
    static final int MAX_TYPE_LENGTH = 256;

    /** What the headers of an append say. */
    record Head(String stream, MediaTypes.BodyFormat format, AppendOptions options, String type,
                Map<String, String> eventHeaders) {
    }

    private final int maxBatchEvents;

    AppendRequestParser(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
    }

    Head head(String stream, HttpHeaders headers) {
        StreamName.requireValid(stream);
        MediaTypes.BodyFormat format = MediaTypes.bodyFormat(headers.get(HttpHeaderNames.CONTENT_TYPE));
        ExpectedVersion expected = expectedVersion(single(headers, EXPECTED_VERSION));
        AppendOptions options = new AppendOptions(expected, single(headers, IDEMPOTENCY_KEY));
        String type = single(headers, EVENT_TYPE);
        if (type != null && (type.isEmpty() || type.length() > MAX_TYPE_LENGTH)) {
            throw invalidHeader("Event-Type is 1 to " + MAX_TYPE_LENGTH + " characters");
        }
        return new Head(stream, format, options, type, eventHeaders(headers));
    }

    /** The events of the body, all sharing the type and headers of the request. */
    List<EventData> events(Head head, byte[] body) {
        List<EventData> events = new ArrayList<>();
        if (head.format() == MediaTypes.BodyFormat.SINGLE) {
            byte[] value = trim(body, 0, body.length);
            if (value.length > 0) {
                events.add(new EventData(head.type(), head.eventHeaders(), value));
            }
        } else {
            int start = 0;
            while (start <= body.length) {
                int end = indexOf(body, (byte) '\n', start);
                byte[] line = trim(body, start, end);
                if (line.length > 0) {
                    if (events.size() == maxBatchEvents) {
                        throw new EventLogException(ErrorCode.TOO_LARGE,
                                "a batch holds at most " + maxBatchEvents + " events");
                    }
                    events.add(new EventData(head.type(), head.eventHeaders(), line));
                }
                start = end + 1;
            }
        }
        if (events.isEmpty()) {
            throw new EventLogException(ErrorCode.EMPTY_BODY, head.format() == MediaTypes.BodyFormat.SINGLE
                    ? "the body holds no JSON value" : "the batch holds no JSON value");
        }
        return events;
    }

    static ExpectedVersion expectedVersion(String value) {
        if (value == null || value.equalsIgnoreCase("any")) {
            return ExpectedVersion.ANY;
        }
        if (value.equals("-1") || value.equalsIgnoreCase("no-stream")) {
            return ExpectedVersion.NO_STREAM;
        }
        return ExpectedVersion.exactly(NonNegativeLong.parse("header " + EXPECTED_VERSION, value,
                ErrorCode.INVALID_HEADER));
    }

    /** The Event-Header-* headers; names are compared without lower-casing every header of the request. */
    private static Map<String, String> eventHeaders(HttpHeaders headers) {
        Map<String, String> result = null;
        int prefixLength = EVENT_HEADER_PREFIX.length();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (name.length() >= prefixLength
                    && AsciiString.regionMatches(name, true, 0, EVENT_HEADER_PREFIX, 0, prefixLength)) {
                String entryName = name.toString().substring(prefixLength).toLowerCase(Locale.ROOT);
                if (entryName.isEmpty()) {
                    throw invalidHeader("an Event-Header- header needs a name after the prefix");
                }
                if (result == null) {
                    result = new LinkedHashMap<>();
                }
                if (result.put(entryName, header.getValue().toString()) != null) {
                    throw invalidHeader("header Event-Header-" + entryName + " is given more than once");
                }
            }
        }
        return result == null ? Map.of() : result;
    }

    /** The header's one value, or null; looks for repeats only when it is present. */
    private static String single(HttpHeaders headers, AsciiString name) {
        String value = headers.get(name);
        if (value != null && headers.getAll(name).size() > 1) {
            throw invalidHeader("header " + name + " is given more than once");
        }
        return value;
    }

    private static EventLogException invalidHeader(String message) {
        return new EventLogException(ErrorCode.INVALID_HEADER, message);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    /** The bytes in [start, end) without JSON whitespace at either end. */
    private static byte[] trim(byte[] bytes, int start, int end) {
        while (start < end && isWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isWhitespace(bytes[end - 1])) {
            end--;
        }
        return Arrays.copyOfRange(bytes, start, end);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}

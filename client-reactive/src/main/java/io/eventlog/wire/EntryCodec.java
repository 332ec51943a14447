package io.eventlog.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventlog.api.Entry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry JSON (API.md "The entry") in both directions. {@code data} is copied as raw bytes on
 * both sides: the writer never re-parses it and the reader slices it out of the input.
 *
 * <p>The writer always produces a single line: line breaks inside {@code data} can only be
 * whitespace between JSON tokens (a JSON string cannot hold a raw line break), so they are
 * written as spaces. That keeps NDJSON and SSE framing intact for pretty-printed data.
 */
public final class EntryCodec {
    private EntryCodec() {
    }

    /** The entry as one line of JSON, without a trailing newline. */
    public static byte[] encode(Entry entry) {
        JsonOut out = new JsonOut(entry.data().length + 128);
        encode(entry, out);
        return out.toByteArray();
    }

    public static void encode(Entry entry, JsonOut out) {
        out.raw('{');
        out.field("offset", true).number(entry.offset());
        out.field("stream", false).string(entry.stream());
        out.field("version", false).number(entry.version());
        out.field("timestamp", false).number(entry.timestamp());
        if (entry.type() != null) {
            out.field("type", false).string(entry.type());
        }
        if (!entry.headers().isEmpty()) {
            out.field("headers", false).raw('{');
            boolean first = true;
            for (Map.Entry<String, String> header : entry.headers().entrySet()) {
                out.field(header.getKey(), first).string(header.getValue());
                first = false;
            }
            out.raw('}');
        }
        out.field("data", false).raw(singleLine(entry.data()));
        out.raw('}');
    }

    /** Reads one entry object; nothing but whitespace may follow it. */
    public static Entry decode(byte[] json) {
        return decode(json, 0, json.length);
    }

    public static Entry decode(byte[] json, int off, int len) {
        try (JsonParser p = WireJson.parser(json, off, len)) {
            WireJson.expect(p, JsonToken.START_OBJECT, "an entry object");
            Entry entry = readObject(p, json, off);
            WireJson.expectEnd(p);
            return entry;
        } catch (IOException e) {
            throw WireJson.malformed(e);
        }
    }

    /** Reads a JSON array of entries (the body of a read). */
    public static List<Entry> decodeArray(byte[] json) {
        try (JsonParser p = WireJson.parser(json, 0, json.length)) {
            WireJson.expect(p, JsonToken.START_ARRAY, "an array of entries");
            List<Entry> entries = new ArrayList<>();
            for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    throw WireJson.malformed("expected an entry object but found " + token);
                }
                entries.add(readObject(p, json, 0));
            }
            WireJson.expectEnd(p);
            return entries;
        } catch (IOException e) {
            throw WireJson.malformed(e);
        }
    }

    /** Reads the fields of an entry object whose START_OBJECT the parser is on. */
    private static Entry readObject(JsonParser p, byte[] json, int base) throws IOException {
        long offset = -1;
        long version = -1;
        long timestamp = 0;
        String stream = null;
        String type = null;
        Map<String, String> headers = Map.of();
        byte[] data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "offset" -> offset = p.getLongValue();
                case "stream" -> stream = p.getText();
                case "version" -> version = p.getLongValue();
                case "timestamp" -> timestamp = p.getLongValue();
                case "type" -> type = value == JsonToken.VALUE_NULL ? null : p.getText();
                case "headers" -> headers = readHeaders(p, value);
                case "data" -> data = rawValue(p, json, base);
                default -> p.skipChildren();
            }
        }
        if (stream == null || data == null || offset < 0 || version < 0) {
            throw WireJson.malformed("an entry needs offset, stream, version and data");
        }
        return new Entry(offset, stream, version, timestamp, type, headers, data);
    }

    private static Map<String, String> readHeaders(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw WireJson.malformed("headers must be an object");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            headers.put(name, p.getText());
        }
        return headers;
    }

    /** The bytes of the value the parser is on, exactly as they appear in the input. */
    static byte[] rawValue(JsonParser p, byte[] json, int base) throws IOException {
        int start = base + (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        p.finishToken();
        int end = base + (int) p.currentLocation().getByteOffset();
        while (end > start && isWhitespace(json[end - 1])) {
            end--;
        }
        return Arrays.copyOfRange(json, start, end);
    }

    /**
     * JSON data on one line: a line break in valid JSON is whitespace between tokens, so a space
     * keeps the value (invalid JSON stays invalid). The input itself when it has no line break.
     */
    public static byte[] singleLine(byte[] data) {
        byte[] copy = null;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                if (copy == null) {
                    copy = data.clone();
                }
                copy[i] = ' ';
            }
        }
        return copy == null ? data : copy;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}

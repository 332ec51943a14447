package io.eventlog.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small growable UTF-8 buffer for writing JSON by hand, so that already-valid JSON (an entry's
 * {@code data}) is copied as raw bytes instead of being parsed and written again.
 */
public final class JsonOut {
    private byte[] buf;
    private int size;

    public JsonOut() {
        this(128);
    }

    public JsonOut(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Appends bytes as they are. */
    public JsonOut raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    public JsonOut raw(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    /** Appends one byte (an ASCII structural character). */
    public JsonOut raw(char ascii) {
        ensure(1);
        buf[size++] = (byte) ascii;
        return this;
    }

    /** Appends ASCII text that needs no escaping (field names, numbers). */
    public JsonOut ascii(String text) {
        int len = text.length();
        ensure(len);
        for (int i = 0; i < len; i++) {
            buf[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** Appends a JSON string literal: quoted and escaped as JSON requires, UTF-8 encoded. */
    public JsonOut string(String value) {
        raw('"');
        if (needsEscaping(value)) {
            raw(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        } else {
            ascii(value);
        }
        return raw('"');
    }

    /** Whether a string is anything but printable ASCII without quote and backslash (the common case, copied as is). */
    private static boolean needsEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code "name":} preceded by a comma unless it is the object's first field. */
    public JsonOut field(String name, boolean first) {
        if (!first) {
            raw(',');
        }
        return string(name).raw(':');
    }

    public JsonOut number(long value) {
        return ascii(Long.toString(value));
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}

package io.eventlog.server.append;

/**
 * A quick check that bytes hold exactly one JSON value in the plain form almost every event has:
 * ASCII only, strings of at most 4 KiB with simple escapes (no {@code \\u}), short numbers, modest
 * nesting, optional spaces and tabs around tokens, all on one line. It accepts only what Jackson's
 * strict parser accepts too; anything else (including every invalid input) it leaves to Jackson,
 * which then decides and explains. It saves creating a Jackson parser per event, most of the cost of
 * validating a small event.
 */
final class PlainJson {
    private static final int MAX_DEPTH = 256;
    private static final int MAX_NUMBER_LENGTH = 64;
    /** Jackson limits the length of names (and of some strings), so longer strings are left to it. */
    private static final int MAX_STRING_LENGTH = 4096;

    /** Printable ASCII but quote and backslash: the bytes a string holds as they are. */
    private static final boolean[] PLAIN_STRING_BYTE = new boolean[256];

    static {
        for (int b = 0x20; b <= 0x7e; b++) {
            PLAIN_STRING_BYTE[b] = b != '"' && b != '\\';
        }
    }

    private static final int CLOSED = 1;
    private static final int MORE = 0;
    private static final int BAD = -1;

    private final byte[] bytes;
    private final int end;
    private int pos;

    private PlainJson(byte[] bytes) {
        this.bytes = bytes;
        this.end = bytes.length;
    }

    /** True when the bytes are certainly one valid JSON value; false means "ask Jackson", not "invalid". */
    static boolean isPlainValue(byte[] bytes) {
        PlainJson scan = new PlainJson(bytes);
        return scan.value(0) && scan.skipSpace() == scan.end;
    }

    private boolean value(int depth) {
        if (skipSpace() == end) {
            return false;
        }
        byte b = bytes[pos];
        return switch (b) {
            case '{' -> depth < MAX_DEPTH && object(depth + 1);
            case '[' -> depth < MAX_DEPTH && array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean object(int depth) {
        pos++;
        if (skipSpace() < end && bytes[pos] == '}') {
            pos++;
            return true;
        }
        while (true) {
            if (skipSpace() == end || bytes[pos] != '"' || !string()) {
                return false;
            }
            if (skipSpace() == end || bytes[pos++] != ':' || !value(depth)) {
                return false;
            }
            int next = afterItem('}');
            if (next != MORE) {
                return next == CLOSED;
            }
        }
    }

    private boolean array(int depth) {
        pos++;
        if (skipSpace() < end && bytes[pos] == ']') {
            pos++;
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            int next = afterItem(']');
            if (next != MORE) {
                return next == CLOSED;
            }
        }
    }

    /** After a member or element: {@link #CLOSED} at {@code close}, {@link #MORE} at a comma, else {@link #BAD}. */
    private int afterItem(char close) {
        if (skipSpace() == end) {
            return BAD;
        }
        byte next = bytes[pos++];
        return next == close ? CLOSED : next == ',' ? MORE : BAD;
    }

    /** A string of printable ASCII; escapes other than {@code \\u} are taken, anything else is left to Jackson. */
    private boolean string() {
        int limit = Math.min(end, pos + MAX_STRING_LENGTH);
        pos++;
        while (pos < limit) {
            byte b = bytes[pos++];
            if (PLAIN_STRING_BYTE[b & 0xff]) {
                continue;
            }
            if (b == '"') {
                return true;
            }
            if (b != '\\' || pos == end || "\"\\/bfnrt".indexOf(bytes[pos++]) < 0) {
                return false;
            }
        }
        return false;
    }

    private boolean literal(String word) {
        int length = word.length();
        if (end - pos < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += length;
        return true;
    }

    /** {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, at most {@link #MAX_NUMBER_LENGTH} bytes. */
    private boolean number() {
        int start = pos;
        if (bytes[pos] == '-') {
            pos++;
        }
        if (pos < end && bytes[pos] == '0') {
            pos++;
        } else if (digits() == 0) {
            return false;
        }
        if (pos < end && bytes[pos] == '.') {
            pos++;
            if (digits() == 0) {
                return false;
            }
        }
        if (pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E')) {
            pos++;
            if (pos < end && (bytes[pos] == '+' || bytes[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                return false;
            }
        }
        return pos - start <= MAX_NUMBER_LENGTH;
    }

    private int digits() {
        int start = pos;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }

    /** Skips spaces and tabs (an event that spans lines never comes here); returns the new position. */
    private int skipSpace() {
        while (pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t')) {
            pos++;
        }
        return pos;
    }
}

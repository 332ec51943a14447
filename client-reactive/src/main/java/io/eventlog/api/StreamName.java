package io.eventlog.api;

/** The contract's rule for stream names: {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,199}}. */
public final class StreamName {
    private static final int MAX_LENGTH = 200;

    private StreamName() {
    }

    /** Checked by hand, not with a regular expression: every append checks its stream name. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Returns the name, or throws {@link ErrorCode#INVALID_STREAM} with the reason. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            String shown = name == null ? "null" : "'" + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "'";
            String reason = name != null && name.startsWith("$")
                    ? "names starting with '$' are reserved for the system"
                    : "a stream name is 1 to 200 characters of [A-Za-z0-9._:-], starting with a letter or digit";
            throw new EventLogException(ErrorCode.INVALID_STREAM, "invalid stream name " + shown + ": " + reason);
        }
        return name;
    }
}

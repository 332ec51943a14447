package io.eventlog.api;

import java.util.regex.Pattern;

/** The contract's rule for stream names: {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,199}}. */
public final class StreamName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private StreamName() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
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

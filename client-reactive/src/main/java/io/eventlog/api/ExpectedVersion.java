package io.eventlog.api;

/**
 * What an append requires of its stream's current last version (the Expected-Version header).
 *
 * @param value {@code -2} for any, {@code -1} for "the stream must not exist", otherwise the exact last version
 */
public record ExpectedVersion(long value) {
    public static final ExpectedVersion ANY = new ExpectedVersion(-2);
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion(-1);

    public ExpectedVersion {
        if (value < -2) {
            throw new EventLogException(ErrorCode.INVALID_HEADER, "expected version must be >= -1 or any, was " + value);
        }
    }

    public static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw new EventLogException(ErrorCode.INVALID_HEADER, "an exact expected version is >= 0, was " + version);
        }
        return new ExpectedVersion(version);
    }

    public boolean isAny() {
        return value == -2;
    }

    /** Whether a stream whose last version is {@code actual} (-1: no stream) satisfies this expectation. */
    public boolean matches(long actual) {
        return isAny() || value == actual;
    }
}

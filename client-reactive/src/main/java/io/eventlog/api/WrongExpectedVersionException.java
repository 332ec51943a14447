package io.eventlog.api;

/** The stream's last version was not the one the append expected (409 over HTTP). */
public final class WrongExpectedVersionException extends EventLogException {
    private static final long serialVersionUID = 1L;

    private final long expected;
    private final long actual;

    /**
     * @param expected the version the append required, -1 for "the stream must not exist"
     * @param actual   the stream's last version, -1 when the stream does not exist
     */
    public WrongExpectedVersionException(String stream, long expected, long actual) {
        super(ErrorCode.WRONG_EXPECTED_VERSION,
                "stream '" + stream + "' is at version " + actual + ", the append expected " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}

package io.eventlog.server.checkpoint;

/**
 * A test hook, off unless the system property {@value #PROPERTY} names a step: when a checkpoint
 * write reaches that step, the JVM halts at once ({@link Runtime#halt}: no shutdown hook, nothing
 * flushed, as kill -9 would). The crash tests start a node with it to show that a crash at any step
 * of writing a checkpoint leaves a data directory the next start recovers from correctly.
 */
public enum CrashPoint {
    /** The temp file is written, not yet fsynced. */
    BEFORE_FSYNC("before-fsync"),
    /** The temp file is fsynced, not yet renamed to its name. */
    BEFORE_RENAME("before-rename"),
    /** The file has its name; the directory is not yet fsynced, older files not yet pruned. */
    AFTER_RENAME("after-rename");

    public static final String PROPERTY = "eventlog.checkpoint.crashAt";
    /** The exit status of a JVM halted by this hook. */
    public static final int EXIT_STATUS = 86;
    private static final String CONFIGURED = System.getProperty(PROPERTY);

    private final String step;

    CrashPoint(String step) {
        this.step = step;
    }

    public String step() {
        return step;
    }

    void reached() {
        if (step.equals(CONFIGURED)) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}

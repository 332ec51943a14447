package io.eventlog.server.cli;

/** A failure of a client command: the message for stderr and the process exit code ({@link ExitCodes}). */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

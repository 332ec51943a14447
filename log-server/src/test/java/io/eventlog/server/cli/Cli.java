package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the {@code eventlog} command line in-process, as {@link EventLogCommand#main} would, with captured streams. */
final class Cli {
    /** What a run left behind. */
    record Result(int exitCode, String out, String err) {
        /** Asserts a failed run: this exit code, nothing on stdout, and stderr mentioning {@code message}. */
        void assertFailed(int expectedExitCode, String message) {
            assertEquals(expectedExitCode, exitCode, err);
            assertEquals("", out);
            assertTrue(err.contains(message), () -> "'" + message + "' missing from stderr:\n" + err);
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine commandLine;

    Cli(String stdin) {
        commandLine = EventLogCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    static Result runWithStdin(String stdin, String... args) {
        return new Cli(stdin).execute(args);
    }

    Result execute(String... args) {
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** What has been printed on stdout so far (for a run on another thread). */
    String outSoFar() {
        return out.toString();
    }
}

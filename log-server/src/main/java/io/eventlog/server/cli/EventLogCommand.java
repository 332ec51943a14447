package io.eventlog.server.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventlog}: the command line. {@code serve} runs a node; the client commands talk to a node only
 * through the HTTP API (API.md), and their exit codes are in {@link ExitCodes}. Subcommands inherit
 * --help and --version (scope INHERIT).
 */
@Command(name = "eventlog", mixinStandardHelpOptions = true, versionProvider = EventLogCommand.Version.class,
        scope = ScopeType.INHERIT,
        description = "A Raft-replicated, append-only event log.",
        subcommands = {ServeCommand.class, AppendCommand.class, ReadCommand.class, TailCommand.class, ClusterCommand.class,
            CheckpointCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:server error (5xx) or another unexpected answer",
            "2:usage or bad input (also the node's 400, 413 and 415 answers)",
            "3:node unreachable (connection refused, timed out or lost)",
            "4:conflict: 409 wrong_expected_version",
            "5:not found: 404 stream_not_found"})
public class EventLogCommand implements Runnable {
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    public EventLogCommand() {
        this(System.in);
    }

    /** @param stdin where {@code append} reads NDJSON from when no JSON argument is given */
    public EventLogCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: one of " + spec.subcommands().keySet());
    }

    /** The command line as {@link #main} runs it, reading stdin from {@code stdin}. */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine commandLine = new CommandLine(new EventLogCommand(stdin));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            if (e instanceof CliException failure) {
                err.println("eventlog: " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            err.println("eventlog: unexpected error: " + e);
            err.flush();
            return ExitCodes.SERVER_ERROR;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        CommandLine commandLine = commandLine(System.in);
        // Entries are UTF-8 JSON whatever the platform's default charset.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        System.exit(commandLine.execute(args));
    }

    /** The version from the jar's manifest (Implementation-Version). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EventLogCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "eventlog " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}

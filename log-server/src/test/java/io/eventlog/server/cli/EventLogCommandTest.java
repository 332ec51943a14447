package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EventLogCommandTest {

    @Test
    void versionAndHelpExitWith0() {
        Cli.Result version = Cli.run("--version");
        Cli.Result help = Cli.run("--help");
        Cli.Result subcommandVersion = Cli.run("tail", "--version");
        Cli.Result subcommandHelp = Cli.run("append", "--help");

        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("eventlog "), version.out());
        assertEquals(0, help.exitCode());
        assertEquals(version.out(), subcommandVersion.out());
        assertTrue(subcommandHelp.out().startsWith("Usage: eventlog append"), subcommandHelp.out());
        for (String expected : new String[] {"append", "read", "tail", "cluster", "Exit codes:",
            "3   node unreachable", "4   conflict: 409 wrong_expected_version", "5   not found: 404 stream_not_found"}) {
            assertTrue(help.out().contains(expected), () -> expected + " missing from:\n" + help.out());
        }
    }

    @Test
    void usageErrorsExitWith2() {
        Cli.Result none = Cli.run();
        Cli.Result unknown = Cli.run("append", "s", "{}", "--colour");
        Cli.Result badUrl = Cli.run("cluster", "--url", "localhost:7070");
        Cli.Result badTimeout = Cli.run("cluster", "--timeout", "0");

        none.assertFailed(2, "Missing command: one of [serve, append, read, tail, cluster, checkpoint]");
        unknown.assertFailed(2, "Unknown option: '--colour'");
        badUrl.assertFailed(2, "'localhost:7070' is not a node URL such as http://127.0.0.1:7070");
        badTimeout.assertFailed(2, "eventlog: --timeout must be at least 1 second, was 0");
    }

    @Test
    void theUrlDefaultsToEventlogUrlOrTheLocalNode() {
        CommandLine commandLine = EventLogCommand.commandLine(System.in);
        CommandLine.ParseResult parsed = commandLine.parseArgs("cluster");
        ClusterCommand cluster = parsed.subcommand().commandSpec().commandLine().getCommand();

        String fromEnvironment = System.getenv("EVENTLOG_URL");
        assertEquals(URI.create(fromEnvironment != null ? fromEnvironment : "http://127.0.0.1:7070"), cluster.connection.url);
        assertEquals(30, cluster.connection.timeoutSeconds);
    }
}

package io.eventlog.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog tail STREAM | --all}: follows live entries until interrupted. */
@Command(name = "tail",
        description = {"Follows a stream, or the global log, printing entries as they are committed.",
            "Each entry is one JSON line, printed at once; runs until interrupted (Ctrl-C).",
            "Exits with 3 if the node ends the subscription or the connection is lost."})
final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    StreamTarget target;

    @Option(names = "--from", paramLabel = "N",
            description = "Start at this version (stream) or offset (--all), history first. Default: the end (only new entries).")
    Long from;

    @Override
    public Integer call() {
        String stream = target.streamOrNullForLog();
        Map<String, Long> query = target.queryFrom(from);
        PrintWriter out = spec.commandLine().getOut();
        connection.client().subscribe(stream, query, line -> {
            out.println(line);
            out.flush();
        });
        throw new CliException(ExitCodes.UNREACHABLE, "the node at " + connection.url + " ended the subscription");
    }
}

package io.eventlog.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog read STREAM | --all}: committed entries, one JSON line each. */
@Command(name = "read",
        description = {"Prints committed entries of a stream, or of the global log, as NDJSON.",
            "One request: at most --limit entries (the node's default is 1000); page on with --from."})
final class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    StreamTarget target;

    @Option(names = "--from", paramLabel = "N", description = "First version (stream) or offset (--all), inclusive. Default: 0.")
    Long from;

    @Option(names = "--limit", paramLabel = "N", description = "Most entries to print.")
    Long limit;

    @Option(names = "--min-offset", paramLabel = "O",
            description = "Make the node wait until it has applied offset O (read your own writes).")
    Long minOffset;

    @Override
    public Integer call() {
        String stream = target.streamOrNullForLog();
        Map<String, Long> query = target.queryFrom(from);
        query.put("limit", limit);
        query.put("min_offset", minOffset);
        PrintWriter out = spec.commandLine().getOut();
        connection.client().read(stream, query, out::println);
        out.flush();
        return ExitCodes.OK;
    }
}

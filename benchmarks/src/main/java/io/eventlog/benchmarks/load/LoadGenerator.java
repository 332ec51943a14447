package io.eventlog.benchmarks.load;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The HTTP load generator: closed-loop appends against running nodes (see benchmarks/README.md). One
 * connection ({@code --connections 1}) measures the latency of synchronous appends, one at a time.
 * Exit code 0 when at least one append succeeded in the measured window, 1 otherwise, 2 for bad options.
 */
@Command(name = "eventlog-load", mixinStandardHelpOptions = true,
        description = {"Appends to an eventlog node over HTTP from N connections, each in a closed loop",
            "(send, await 201, repeat), and reports throughput, errors by status and latency."})
public final class LoadGenerator implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", split = ",", defaultValue = "http://127.0.0.1:7070",
            description = "The node, or several (comma-separated): connection i sends to URL i mod their count. Default: ${DEFAULT-VALUE}.")
    List<URI> urls;

    @Option(names = "--discover", paramLabel = "none|leader|all", defaultValue = "none",
            description = "none: send to the --url nodes; leader: only to the leader, all: to every member, as GET /v1/cluster "
                    + "on the first --url names them. Default: ${DEFAULT-VALUE}.")
    Discovery discovery;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "64", description = "Concurrent connections. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "1000", description = "Streams, round robin. Default: ${DEFAULT-VALUE}.")
    int streams;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "0",
            description = "Events per request as an NDJSON batch; 0 sends single events as application/json. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--stream-prefix", paramLabel = "PREFIX", defaultValue = "load", description = "Streams are PREFIX-0, PREFIX-1, ... Default: ${DEFAULT-VALUE}.")
    String streamPrefix;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        LoadConfig config;
        try {
            config = new LoadConfig(urls, connections, run.duration, run.warmup, run.size, streams, batch, streamPrefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            config = config.sendingTo(discovery.targets(config.urls()));
        } catch (RuntimeException e) {
            err.println("eventlog load: cannot find the nodes to send to: " + e.getMessage());
            err.flush();
            return 1;
        }
        err.println("eventlog load: running " + config.describe());
        err.flush();
        LoadResult result = new LoadRun(config).run();
        LoadReport.print(spec.commandLine().getOut(), "eventlog load", result, run.json);
        return result.requests() > 0 ? 0 : 1;
    }

    /** The command line, taking enum values in any case ("--discover leader"). */
    static CommandLine commandLine() {
        return new CommandLine(new LoadGenerator()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}

package io.eventlog.benchmarks.peers;

import io.eventlog.benchmarks.load.EventBodies;
import io.eventlog.benchmarks.load.LoadReport;
import io.eventlog.benchmarks.load.LoadResult;
import io.eventlog.benchmarks.load.Measurement;
import io.eventlog.benchmarks.load.RunOptions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
 * The JetStream peer's load generator: recreates a replicated file-storage stream, then publishes to it
 * through its leader, async with a window of unacknowledged publishes or sync one at a time, and reports
 * like the eventlog load generator (see benchmarks/README.md). Exit code 0 when at least one publish was
 * acknowledged in the measured window, 1 otherwise, 2 for bad options.
 */
@Command(name = "jetstream-load", mixinStandardHelpOptions = true,
        description = {"Publishes to a NATS JetStream stream (file storage, replicated) through its leader and reports",
            "acknowledged publishes per second, errors and latency, like eventlog-load."})
public final class JetStreamLoad implements Callable<Integer> {
    private static final String TITLE = "jetstream load";

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", split = ",", defaultValue = "nats://127.0.0.1:4222",
            description = "The cluster's servers, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> servers;

    @Option(names = "--mode", paramLabel = "async|sync", defaultValue = "async",
            description = "async: publishAsync with at most --in-flight unacknowledged; sync: one publish at a time. Default: ${DEFAULT-VALUE}.")
    JetStreamConfig.Mode mode;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "64",
            description = "async: publishes awaiting their ack at most. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--stream", paramLabel = "NAME", defaultValue = "bench",
            description = "The stream, deleted and created again; its subject is NAME.events. Default: ${DEFAULT-VALUE}.")
    String stream;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "3", description = "The stream's replicas. Default: ${DEFAULT-VALUE}.")
    int replicas;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws InterruptedException {
        JetStreamConfig config;
        try {
            config = new JetStreamConfig(servers, mode, inFlight, run.duration, run.warmup, run.size, stream, replicas);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            config = config.publishingTo(BenchStream.recreate(config));
            err.println(TITLE + ": running " + config.describe());
            err.flush();
            LoadResult result = publish(config);
            LoadReport.print(spec.commandLine().getOut(), TITLE, result, run.json);
            return result.requests() > 0 ? 0 : 1;
        } catch (IOException e) {
            err.println(TITLE + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static LoadResult publish(JetStreamConfig config) throws IOException, InterruptedException {
        byte[] payload = EventBodies.event(config.size()).getBytes(StandardCharsets.UTF_8);
        try (Connection connection = BenchStream.connect(config.servers().get(0))) {
            JetStream jetStream = connection.jetStream();
            Measurement measurement = Measurement.startingNow(config.warmup(), config.duration());
            if (config.mode() == JetStreamConfig.Mode.ASYNC) {
                AsyncPublisher.run(jetStream, config, payload, measurement);
            } else {
                SyncPublisher.run(jetStream, config, payload, measurement);
            }
            return measurement.result(config, 1);
        }
    }

    /** The command line of {@code load}, taking enum values in any case ("--mode sync"). */
    static CommandLine commandLine(JetStreamLoad load) {
        return new CommandLine(load).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine(new JetStreamLoad()).execute(args));
    }
}

package io.eventlog.benchmarks.client;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.benchmarks.load.EventBodies;
import io.eventlog.benchmarks.load.LoadReport;
import io.eventlog.benchmarks.load.LoadResult;
import io.eventlog.benchmarks.load.Measurement;
import io.eventlog.benchmarks.load.RunOptions;
import io.eventlog.client.EventLogClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Appends through the Java client ({@link EventLogClient} over the binary protocol, docs/PROTOCOL.md:
 * it finds the leader, one connection per node), async with a window of unanswered appends (the
 * counterpart of JetStream's async publish) or sync one at a time, and reports like the HTTP load
 * generator. Exit code 0 when at least one append was
 * acknowledged in the measured window, 1 otherwise, 2 for bad options.
 */
@Command(name = "client-load", mixinStandardHelpOptions = true,
        description = {"Appends single events through eventlog's binary protocol and reports acknowledged appends",
            "per second, errors and latency, like eventlog-load."})
public final class ClientLoad implements Callable<Integer> {
    private static final String TITLE = "eventlog client load";
    private static final long DRAIN_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "HOST:PORT", split = ",", defaultValue = "127.0.0.1:7271",
            description = "Nodes' binary-protocol addresses; the client sends appends to the leader. Default: ${DEFAULT-VALUE}.")
    List<String> nodes;

    @Option(names = "--mode", paramLabel = "async|sync", defaultValue = "async",
            description = "async: at most --in-flight unanswered appends; sync: one append at a time. Default: ${DEFAULT-VALUE}.")
    ClientLoadConfig.Mode mode;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "64",
            description = "async: appends awaiting their answer at most. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "1000",
            description = "Streams the appends go to, round-robin. Default: ${DEFAULT-VALUE}.")
    int streams;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws InterruptedException {
        ClientLoadConfig config;
        try {
            config = new ClientLoadConfig(nodes, mode, inFlight, run.duration, run.warmup, run.size, streams);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(TITLE + ": running " + config.describe());
        err.flush();
        try (EventLogClient client = EventLogClient.builder().nodes(config.nodes().toArray(String[]::new)).binary()
                .build()) {
            LoadResult result = append(client, config);
            LoadReport.print(spec.commandLine().getOut(), TITLE, result, run.json);
            return result.requests() > 0 ? 0 : 1;
        } catch (RuntimeException e) {
            err.println(TITLE + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static LoadResult append(EventLogClient client, ClientLoadConfig config) throws InterruptedException {
        List<EventData> event = List.of(EventData.json("BenchEvent", EventBodies.event(config.size())));
        Measurement measurement = Measurement.startingNow(config.warmup(), config.duration());
        Semaphore window = new Semaphore(config.mode() == ClientLoadConfig.Mode.ASYNC ? config.inFlight() : 1);
        long sent = 0;
        while (measurement.running()) {
            window.acquire();
            long started = System.nanoTime();
            client.append("bench-" + (sent++ % config.streams()), event, AppendOptions.DEFAULT)
                    .subscribe(result -> {
                        measurement.succeeded(started);
                        window.release();
                    }, failure -> {
                        measurement.failed(failure);
                        window.release();
                    });
        }
        // Wait for the last answers (they no longer count) so that closing the connection fails none.
        window.tryAcquire(config.mode() == ClientLoadConfig.Mode.ASYNC ? config.inFlight() : 1, DRAIN_SECONDS,
                TimeUnit.SECONDS);
        return measurement.result(config, 1);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClientLoad()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}

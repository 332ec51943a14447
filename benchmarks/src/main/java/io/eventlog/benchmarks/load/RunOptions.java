package io.eventlog.benchmarks.load;

import io.eventlog.server.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every load generator has: how long to warm up and measure, the event size, the output. */
public final class RunOptions {
    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to measure (30s, 500ms, 2m). Default: ${DEFAULT-VALUE}.")
    public Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to run before measuring. Default: ${DEFAULT-VALUE}.")
    public Duration warmup;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "100", description = "Bytes of JSON per event. Default: ${DEFAULT-VALUE}.")
    public int size;

    @Option(names = "--json", description = "Print the result as one JSON object instead of text.")
    public boolean json;
}

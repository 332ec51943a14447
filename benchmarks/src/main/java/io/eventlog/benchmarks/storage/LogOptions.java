package io.eventlog.benchmarks.storage;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of a benchmark that builds a log through the embedded node: how many entries, over how
 * many streams, appended how, and where the data goes. Each benchmark passes its own defaults for
 * {@code --entries} and {@code --streams} to the constructor (picocli takes a field's initial value as
 * its default).
 */
public final class LogOptions {
    @Option(names = "--entries", paramLabel = "N", converter = UnderscoredNumber.ToLong.class,
            description = "Entries to append (underscores allowed: 1_000_000). Default: ${DEFAULT-VALUE}.")
    public long entries;

    @Option(names = "--streams", paramLabel = "N", converter = UnderscoredNumber.ToInt.class,
            description = "Streams, appended to round robin (underscores allowed). Default: ${DEFAULT-VALUE}.")
    public int streams;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "Events per append. Default: ${DEFAULT-VALUE}.")
    public int batch;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "100", description = "Bytes of JSON per event. Default: ${DEFAULT-VALUE}.")
    public int payload;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "16", description = "Appends in flight. Default: ${DEFAULT-VALUE}.")
    public int inFlight;

    @Option(names = "--dir", paramLabel = "DIR", description = "Data directory, new or empty. Default: a temporary one, deleted at the end.")
    public Path dir;

    @Option(names = "--keep", description = "Keep the temporary data directory at the end.")
    public boolean keep;

    public LogOptions(long entries, int streams) {
        this.entries = entries;
        this.streams = streams;
    }
}

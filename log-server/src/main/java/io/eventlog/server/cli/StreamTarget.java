package io.eventlog.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code read} and {@code tail} look at: one stream, or the global log with {@code --all}. */
public final class StreamTarget {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "STREAM", description = "The stream (omit with --all).")
    String stream;

    @Option(names = {"--all", "--log"}, description = "The global log of all streams instead of one stream.")
    boolean all;

    /** The stream, or null for the global log; a usage error unless exactly one of the two was given. */
    String streamOrNullForLog() {
        if (all == (stream != null)) {
            throw new ParameterException(spec.commandLine(), "Give either a STREAM or --all, not " + (all ? "both" : "neither"));
        }
        return stream;
    }

    /**
     * A query that starts at {@code from}: from_offset for the global log, from_version for a stream;
     * no parameter when {@code from} is null. Mutable, for the caller's further parameters.
     */
    Map<String, Long> queryFrom(Long from) {
        Map<String, Long> query = new LinkedHashMap<>();
        query.put(all ? "from_offset" : "from_version", from);
        return query;
    }
}

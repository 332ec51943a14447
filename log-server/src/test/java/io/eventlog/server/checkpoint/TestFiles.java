package io.eventlog.server.checkpoint;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.server.node.EventLogNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/** What the checkpoint tests do to nodes and files: append known events, list checkpoints. */
final class TestFiles {
    private TestFiles() {
    }

    /** Appends events {@code first..first+count-1}, one per append, to five streams, every third with a key. */
    static void append(EventLogNode node, int first, int count) {
        Flux.range(first, count).concatMap(i -> node.append("s" + i % 5, List.of(EventData.json("{\"i\":" + i + "}")),
                AppendOptions.DEFAULT.withIdempotencyKey(i % 3 == 0 ? "key-" + i : null))).blockLast();
    }

    /**
     * The named checkpoints in a checkpoint directory, newest first, listed without opening a store
     * (which would delete the temp file of a checkpoint being written).
     */
    static List<Checkpoint> checkpointsIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.ckpt"))
                    .map(f -> new Checkpoint(Long.parseLong(f.getFileName().toString().substring(0, 20)), f))
                    .sorted(Comparator.comparingLong(Checkpoint::offset).reversed())
                    .toList();
        }
    }
}

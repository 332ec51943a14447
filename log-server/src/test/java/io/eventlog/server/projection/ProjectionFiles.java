package io.eventlog.server.projection;

import io.eventlog.server.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What a projection has on disk, for tests. */
final class ProjectionFiles {
    private ProjectionFiles() {
    }

    /**
     * Its checkpoint files, newest first: listed, not opened as a store (opening deletes temp files,
     * which would race with a projection writing one).
     */
    static List<Checkpoint> checkpoints(Path dataDir, String projection) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("projections").resolve(projection))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ckpt"))
                    .map(f -> new Checkpoint(Long.parseLong(f.getFileName().toString().replace(".ckpt", "")), f))
                    .sorted(Comparator.comparingLong(Checkpoint::offset).reversed())
                    .toList();
        }
    }

    static List<Long> checkpointOffsets(Path dataDir, String projection) throws IOException {
        return checkpoints(dataDir, projection).stream().map(Checkpoint::offset).toList();
    }
}

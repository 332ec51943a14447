package io.eventlog.server.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.server.storage.CycleFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queue files retention deletes: a prefix of old ones, never the protected cycle, never the last file. */
class RetentionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    /** Files of cycles 10..14, 100 bytes each, cycle c last written (14 - c) hours ago. */
    private static List<CycleFile> files() {
        List<CycleFile> files = new ArrayList<>();
        for (int cycle = 10; cycle <= 14; cycle++) {
            files.add(new CycleFile(cycle, Path.of(cycle + ".cq4"), 100, NOW.minus(Duration.ofHours(14 - cycle)),
                    (long) cycle << 32));
        }
        return files;
    }

    private static List<Integer> cycles(List<CycleFile> files) {
        return files.stream().map(CycleFile::cycle).toList();
    }

    @Test
    void byAgeDeletesTheFilesLastWrittenBeforeTheLimit() {
        RetentionConfig config = RetentionConfig.NONE.withMaxAge(Duration.ofMinutes(150));

        assertEquals(List.of(10, 11), cycles(Retention.toDelete(files(), 14, config, NOW)));
    }

    @Test
    void bySizeDeletesTheOldestUntilTheRestFits() {
        RetentionConfig config = RetentionConfig.NONE.withMaxBytes(250);

        assertEquals(List.of(10, 11, 12), cycles(Retention.toDelete(files(), 14, config, NOW)));
    }

    @Test
    void neverTheProtectedCycleNorAnyAfterIt() {
        RetentionConfig config = RetentionConfig.NONE.withMaxBytes(1);

        assertEquals(List.of(10), cycles(Retention.toDelete(files(), 11, config, NOW)));
        assertEquals(List.of(), cycles(Retention.toDelete(files(), 10, config, NOW)));
    }

    @Test
    void neverTheFileBeingWritten() {
        RetentionConfig config = RetentionConfig.NONE.withMaxBytes(1).withMaxAge(Duration.ofMillis(1));

        assertEquals(List.of(10, 11, 12, 13), cycles(Retention.toDelete(files(), Integer.MAX_VALUE, config, NOW)));
    }

    @Test
    void withoutLimitsNothing() {
        assertEquals(List.of(), cycles(Retention.toDelete(files(), Integer.MAX_VALUE, RetentionConfig.NONE, NOW)));
    }
}

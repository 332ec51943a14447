package io.eventlog.server.recovery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.server.node.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 under load, the short run of the default build: per durability, two crash cycles on one data
 * directory (the second crashes a log that already went through one). The seed is printed; rerun one
 * with {@code -Dcrash.seed=<seed>}. The long randomized loop is {@link KillNineLoopTest} (profile crash-long).
 */
class KillNineTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Durability.class)
    void acknowledgedAppendsSurviveKillNineAndTheLogStaysConsistent(Durability durability) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("KillNineTest " + durability + " seed " + seed + " (-Dcrash.seed=" + seed + ")");
        Path data = Files.createDirectories(dir.resolve("data"));
        List<Entry> log = List.of();
        for (int cycle = 0; cycle < 2; cycle++) {
            KillNineScenario.Result result = KillNineScenario.run(data, durability, seed + cycle, cycle, log, 0.0, dir);
            System.out.println(result);
            // The scenario's CrashVerifier has checked every acknowledged append; the log also grew.
            assertTrue(result.finalLog().size() > log.size(), "cycle " + cycle + " appended nothing");
            log = result.finalLog();
        }
    }
}

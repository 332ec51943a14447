package io.eventlog.server.recovery;

import io.eventlog.api.Entry;
import io.eventlog.server.node.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long randomized kill -9 loop (profile crash-long, not in the default build): many crash cycles,
 * durability chosen per cycle, one data directory that accumulates every cycle's history, and one
 * cycle in five killed at a random moment from the child's start (possibly while it opens and
 * replays). Each cycle is checked as in {@link KillNineTest}.
 *
 * <pre>mvn -o -pl log-server verify -Pcrash-long [-Dcrash.iterations=40] [-Dcrash.seed=...]
 * </pre>
 */
@Tag("crash-long")
class KillNineLoopTest {
    @TempDir
    Path dir;

    @Test
    void manyKillNineCyclesLoseNothingAcknowledged() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int iterations = Integer.getInteger("crash.iterations", 40);
        System.out.println("KillNineLoopTest seed " + seed + ", " + iterations + " cycles (-Dcrash.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path data = Files.createDirectories(dir.resolve("data"));
        List<Entry> log = List.of();
        List<Long> reopen = new ArrayList<>();
        List<Long> firstAppend = new ArrayList<>();
        long acked = 0;
        int partial = 0;
        for (int cycle = 0; cycle < iterations; cycle++) {
            Durability durability = random.nextBoolean() ? Durability.PROCESS : Durability.FSYNC;
            KillNineScenario.Result result = KillNineScenario.run(data, durability, random.nextLong(), cycle, log,
                    0.2, dir);
            System.out.println(result);
            log = result.finalLog();
            reopen.add(result.reopenMillis());
            firstAppend.add(result.firstAppendMillis());
            acked += result.afterKill().ackedEntries();
            partial += result.afterKill().partialBatches().size();
        }
        LongSummaryStatistics r = reopen.stream().mapToLong(Long::longValue).summaryStatistics();
        LongSummaryStatistics f = firstAppend.stream().mapToLong(Long::longValue).summaryStatistics();
        System.out.println("KillNineLoopTest seed " + seed + ": " + iterations + " cycles, " + acked
                + " acknowledged entries checked, final log " + log.size() + " entries; reopen after kill -9 ms "
                + r + "; first append after reopen ms " + f + "; partial batches (known bug) " + partial);
    }
}

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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long randomized kill -9 loop (profile crash-long, not in the default build): many crash cycles,
 * durability chosen per cycle, one data directory that accumulates every cycle's history, and one
 * cycle in five killed at a random moment from the child's start (possibly while it opens and
 * replays). Each cycle is checked as in {@link KillNineTest}. The data directory and every cycle's
 * child stdout ({@code workload-N.out}, byte for byte) and stderr ({@code workload-N.log}) are kept when
 * the test fails; the directory is printed at the start.
 *
 * <pre>mvn -o -pl log-server verify -Pcrash-long [-Dcrash.iterations=40] [-Dcrash.seed=...]
 * </pre>
 *
 * <p>Run seed 1513143015828 once failed in cycle 20 with "entry of an append that was never sent"
 * (r20-4-1097). It was the harness, not storage: {@link io.eventlog.server.testing.JvmProcess#kill9()}
 * used {@code Process.destroyForcibly()}, which on Linux also closes this side's pipes, so the child's
 * last stdout lines not yet read (the SENT lines of the appends of its last group commit) were thrown
 * away. Seen again with the saved output (run seed 1513143015828, cycle 2): the 29 appends of the last
 * group, all stored, had no SENT line in the child's stdout. kill9 now signals through ProcessHandle
 * and reads the pipes to the end.
 *
 * <p>Runs after that fix (2 shared cores, other builds running):
 * <ul>
 * <li>seed 1513143015828, 21 cycles, 182 s: 10,659 acknowledged entries checked, final log 13,556 entries;
 *     no entry unsent, none acknowledged lost, no partial batch;</li>
 * <li>seed 3030143557871, 45 cycles (5 killed before the node opened), 443 s: 29,971 acknowledged entries
 *     checked, final log 35,722 entries, reopen after kill -9 11..793 ms; the same, all clean.</li>
 * </ul>
 */
@Tag("crash-long")
class KillNineLoopTest {
    /** Kept when the test fails: the data directory and each cycle's child stdout (.out) and stderr (.log). */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void manyKillNineCyclesLoseNothingAcknowledged() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int iterations = Integer.getInteger("crash.iterations", 40);
        System.out.println("KillNineLoopTest seed " + seed + ", " + iterations + " cycles (-Dcrash.seed=" + seed
                + "); data and child output in " + dir + " (kept if the test fails)");
        long started = System.nanoTime();
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
        System.out.println("KillNineLoopTest seed " + seed + ": " + iterations + " cycles in "
                + (System.nanoTime() - started) / 1_000_000_000 + " s, " + acked
                + " acknowledged entries checked, final log " + log.size() + " entries; reopen after kill -9 ms "
                + r + "; first append after reopen ms " + f + "; partial batches " + partial);
    }
}

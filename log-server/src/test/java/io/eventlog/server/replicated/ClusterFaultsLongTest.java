package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.DurationConverter;
import io.eventlog.server.testing.ClusterScenario;
import io.eventlog.server.testing.RandomFaultSchedule;
import io.eventlog.server.testing.history.CheckReport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long randomized fault run (profile cluster-faults, not in the default build): three node processes
 * under the cluster workload while a {@link RandomFaultSchedule} kills, pauses, partitions, blackholes,
 * slows and restarts them for a set time; then every fault is healed, the nodes must converge and the
 * whole history must be valid. The seed is printed first; the history and every node's output are kept
 * under {@code target/cluster-faults/}.
 *
 * <pre>mvn -o -pl log-server verify -Pcluster-faults [-Dcluster.faults.duration=10m] [-Dcluster.faults.seed=N]
 * </pre>
 *
 * <p>Runs (2 cores shared with other builds and benchmarks), all valid:
 * <ul>
 * <li>seed 13537507539562, 3 minutes of faults, 189 s: 43,570 ops; 8,994 appends acknowledged, 1,781 failed, 62
 *     indeterminate; 20,989 deliveries; 21 faults (3 kill -9, 3 SIGSTOP, 6 partitions, 1 one-way blackhole, 5 sets
 *     of slow links, 3 whole-cluster SIGTERM);</li>
 * <li>seed 15319541843583, 10 minutes of faults, 612 s: 164,174 ops; 33,036 acknowledged, 8,435 failed (8,412 of
 *     them refused connections to a dead node), 187 indeterminate; 77,102 deliveries; 69 faults (16 kill -9 of a
 *     node, 5 of every node, 6 whole-cluster SIGTERM, 4 SIGSTOP, 22 partitions cut or blackholed, 7 one-way
 *     blackholes, 9 sets of slow links).</li>
 * </ul>
 */
@Tag("cluster-faults")
class ClusterFaultsLongTest {
    /** Kept when the test fails: the nodes' data. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aRandomizedFaultScheduleLeavesAValidHistory() throws Exception {
        long seed = Long.getLong("cluster.faults.seed", System.nanoTime());
        Duration duration = new DurationConverter().convert(System.getProperty("cluster.faults.duration", "3m"));
        Path output = ClusterScenario.outputDir("cluster-faults", "seed-" + seed);
        System.out.println("ClusterFaultsLongTest seed " + seed + " (-Dcluster.faults.seed=" + seed + "), faults for "
                + duration.toSeconds() + " s; history and node output in " + output + ", data in " + data);
        long started = System.nanoTime();
        try (ClusterScenario run = ClusterScenario.start("ClusterFaultsLongTest seed " + seed, data, output)) {
            new RandomFaultSchedule(run.cluster(), run.nemesis(), run.workload(), seed).runFor(duration);
            CheckReport report = run.finish();
            System.out.println("ClusterFaultsLongTest seed " + seed + ": " + (System.nanoTime() - started) / 1_000_000_000
                    + " s, " + run.history().ops().size() + " ops, " + report.toString().lines().findFirst().orElse("")
                    + "; faults injected " + run.nemesis().injected());
            assertTrue(report.appendsOk() >= duration.toSeconds(), "less than one acknowledged append a second: "
                    + report);
        }
    }
}

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

package io.eventlog.replication;

import io.eventlog.replication.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Replays one simulation seed exactly and prints its trace: {@code -Draft.sim.seed=N} (and the same
 * {@code -Draft.sim.steps} as the failing run, default 800). Surefire writes the trace to
 * {@code target/surefire-reports/io.eventlog.replication.ReplaySeedTest-output.txt}.
 */
class ReplaySeedTest {

    @Test
    @EnabledIfSystemProperty(named = "raft.sim.seed", matches = "-?\\d+")
    void replaysOneSeed() {
        long seed = Long.getLong("raft.sim.seed");
        int steps = Integer.getInteger("raft.sim.steps", 800);
        Simulation.Result r = Simulation.run(seed, steps, System.out::println);
        System.out.println(r);
    }

    @Test
    void aSeedReplaysExactly() {
        Simulation.Result a = Simulation.run(12345, 300, null);
        Simulation.Result b = Simulation.run(12345, 300, null);
        org.junit.jupiter.api.Assertions.assertEquals(a, b);
    }
}

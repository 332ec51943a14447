package io.eventlog.replication;

import io.eventlog.replication.sim.Simulation;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs many seeds of the fault {@link Simulation}. Properties: {@code raft.sim.seeds} (how many,
 * default 2000), {@code raft.sim.firstSeed} (default 0), {@code raft.sim.steps} (ticks of faults per
 * seed, default 800), {@code raft.sim.threads} (default 2). A failing seed names itself and the
 * command that replays it.
 */
class SimulationTest {

    @Test
    void mixedFaultSeedsKeepRaftSafeAndLive() {
        long seeds = Long.getLong("raft.sim.seeds", 2000);
        long first = Long.getLong("raft.sim.firstSeed", 0);
        int steps = Integer.getInteger("raft.sim.steps", 800);
        int threads = Integer.getInteger("raft.sim.threads", 2);
        AtomicLong ticks = new AtomicLong();
        AtomicLong events = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        AtomicLong committed = new AtomicLong();
        AtomicLong maxLiveness = new AtomicLong();
        AtomicLong worstSeed = new AtomicLong(-1);
        java.util.Map<String, Long> counters = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicReference<AssertionError> failure = new AtomicReference<>();
        long start = System.nanoTime();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(() -> LongStream.range(first, first + seeds).parallel().forEach(seed -> {
                if (failure.get() != null) {
                    return;
                }
                try {
                    Simulation.Result r = Simulation.run(seed, steps, null);
                    ticks.addAndGet(r.ticks());
                    events.addAndGet(r.events());
                    checks.addAndGet(r.checks());
                    committed.addAndGet(r.committed());
                    synchronized (maxLiveness) {
                        if (r.livenessTicks() > maxLiveness.get()) {
                            maxLiveness.set(r.livenessTicks());
                            worstSeed.set(seed);
                        }
                    }
                    r.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
                } catch (AssertionError e) {
                    failure.compareAndSet(null, e);
                }
            })).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("raft simulation: seeds [%d, %d), %d steps each: %d ticks, %d messages, %d checks, "
                        + "%d entries committed, worst liveness %d ticks (seed %d), %.1f s%n", first, first + seeds, steps,
                ticks.get(), events.get(), checks.get(), committed.get(), maxLiveness.get(), worstSeed.get(), secs);
        System.out.println("raft simulation events: " + counters);
        if (failure.get() != null) {
            throw failure.get();
        }
        // Every seed ran its checks and committed entries: the run was not vacuous.
        org.junit.jupiter.api.Assertions.assertTrue(checks.get() >= seeds * steps,
                "only " + checks.get() + " invariant checks in " + seeds + " seeds");
        org.junit.jupiter.api.Assertions.assertTrue(committed.get() >= seeds, "only " + committed.get() + " commits");
    }
}

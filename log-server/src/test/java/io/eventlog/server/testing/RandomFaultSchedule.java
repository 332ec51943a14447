package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A randomized fault schedule, one fault at a time: a quiet spell, then a fault drawn from a seeded random
 * source (kill -9 of a node, SIGSTOP of a node, a partition of the nodes into two random sides cut or
 * blackholed, a one-way blackhole, slow links, the whole cluster stopped or killed), held for a random
 * time, then healed. After each heal the cluster must acknowledge appends again within a generous time: a
 * cluster that never recovers fails the run even though its history stays valid.
 */
public final class RandomFaultSchedule {
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final long MIN_QUIET_MILLIS = 1_000;
    private static final long MAX_QUIET_MILLIS = 4_000;
    private static final long MIN_HOLD_MILLIS = 1_000;
    private static final long MAX_HOLD_MILLIS = 8_000;

    private final ProcessCluster cluster;
    private final Nemesis nemesis;
    private final ClusterWorkload workload;
    private final SplittableRandom random;
    private final long startNanos = System.nanoTime();

    public RandomFaultSchedule(ProcessCluster cluster, Nemesis nemesis, ClusterWorkload workload, long seed) {
        this.cluster = cluster;
        this.nemesis = nemesis;
        this.workload = workload;
        this.random = new SplittableRandom(seed);
    }

    /** Injects faults until {@code duration} has passed, each healed before the next. */
    public void runFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Poll.sleep(random.nextLong(MIN_QUIET_MILLIS, MAX_QUIET_MILLIS));
            long hold = random.nextLong(MIN_HOLD_MILLIS, MAX_HOLD_MILLIS);
            int roll = random.nextInt(100);
            if (roll < 20) {
                killAndRestart(anyNode(), hold);
            } else if (roll < 35) {
                pauseAndResume(anyNode(), hold);
            } else if (roll < 60) {
                partition(random.nextBoolean() ? Mode.CUT : Mode.BLACKHOLE, hold);
            } else if (roll < 70) {
                oneWayBlackhole(hold);
            } else if (roll < 85) {
                slowLinks(hold);
            } else {
                restartEverything(random.nextBoolean(), hold);
            }
            int acknowledged = workload.okAppends();
            workload.awaitOkAppends(acknowledged + 1, RECOVERY);
        }
    }

    private void killAndRestart(int node, long hold) {
        log("kill -9 node " + node, hold);
        nemesis.kill9(node);
        Poll.sleep(hold);
        nemesis.restart(node);
    }

    private void pauseAndResume(int node, long hold) {
        log("SIGSTOP node " + node, hold);
        nemesis.pause(node);
        Poll.sleep(hold);
        nemesis.resume(node);
    }

    /** Two random sides, the smaller one of at least one node. */
    private void partition(Mode mode, long hold) {
        List<Integer> shuffled = new ArrayList<>(cluster.ids());
        Collections.shuffle(shuffled, new Random(random.nextLong()));
        int cut = 1 + random.nextInt(cluster.size() / 2);
        List<Integer> minority = shuffled.subList(0, cut);
        List<Integer> majority = shuffled.subList(cut, shuffled.size());
        log("partition " + minority + " | " + majority + " " + mode, hold);
        nemesis.partition(minority, majority, mode);
        Poll.sleep(hold);
        nemesis.heal();
    }

    private void oneWayBlackhole(long hold) {
        int[] link = anyLink();
        log("blackhole " + link[0] + " -> " + link[1], hold);
        nemesis.link(link[0], link[1], Mode.BLACKHOLE);
        Poll.sleep(hold);
        nemesis.heal();
    }

    /** One to three directed links, each with its own delay of 20 to 500 ms. */
    private void slowLinks(long hold) {
        int links = 1 + random.nextInt(3);
        StringBuilder what = new StringBuilder("delay");
        for (int i = 0; i < links; i++) {
            int[] link = anyLink();
            Duration delay = Duration.ofMillis(random.nextLong(20, 500));
            what.append(' ').append(link[0]).append(" -> ").append(link[1]).append(' ').append(delay.toMillis())
                    .append(" ms;");
            nemesis.link(link[0], link[1], Mode.delay(delay));
        }
        log(what.toString(), hold);
        Poll.sleep(hold);
        nemesis.heal();
    }

    private void restartEverything(boolean crash, long hold) {
        log(crash ? "kill -9 every node" : "SIGTERM every node", hold);
        if (crash) {
            nemesis.killAll();
        } else {
            nemesis.stopAll();
        }
        Poll.sleep(hold);
        nemesis.startAll();
    }

    private int anyNode() {
        return 1 + random.nextInt(cluster.size());
    }

    /** A directed link: two different nodes. */
    private int[] anyLink() {
        int from = anyNode();
        int to = (from + random.nextInt(cluster.size() - 1)) % cluster.size() + 1;
        return new int[] {from, to};
    }

    private void log(String fault, long holdMillis) {
        System.out.printf("%7.1f s: %s for %.1f s (%d appends acknowledged so far)%n",
                (System.nanoTime() - startNanos) / 1e9, fault, holdMillis / 1e3, workload.okAppends());
    }
}

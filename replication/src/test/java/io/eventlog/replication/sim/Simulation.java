package io.eventlog.replication.sim;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.ConfChange;
import io.eventlog.replication.MemoryStorage;
import io.eventlog.replication.ProposalRejectedException;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One seeded run: a cluster of 3 or 5 voters (plus 2 spare nodes that may join) under a random mix
 * of faults (message loss, duplication, delay and reordering, partitions of one node, of a minority,
 * one-way cuts, crashes that lose unfinished disk writes, restarts), while clients propose and read
 * and the operator changes membership, transfers leadership and compacts logs. Every event is
 * checked for safety ({@link Checker}). At the end the faults heal and the run must elect a leader
 * and commit the pending proposals and a fresh one on every member within {@link #LIVENESS_TICKS} ticks
 * (more for long logs).
 *
 * <p>Everything derives from the seed: the same seed replays exactly.
 */
public final class Simulation {

    /**
     * Ticks allowed for liveness after the faults heal: 3,000, or 2,000 plus 4 per log entry if that is
     * more. With a one-message window and one entry per message, a node that lags behind catches up
     * one entry per round trip (up to 4 ticks here), so the bound must grow with the log.
     */
    public static final int LIVENESS_TICKS = 3000;

    /** What one run did. */
    public record Result(long seed, long ticks, long events, long checks, long committed, long livenessTicks,
                         java.util.Map<String, Long> counters) {
    }

    private final long seed;
    private final SplittableRandom rnd;
    private final Cluster c;
    private final List<Long> spares = new ArrayList<>();
    private final Set<Long> everRemoved = new HashSet<>();
    private final int electionTicks;
    private final double proposeP;
    private final double crashP;
    private final double restartP;
    private final double partitionP;
    private final double healP;

    private final int steps;

    private Simulation(long seed, int steps, Consumer<String> trace) {
        this.seed = seed;
        this.steps = steps;
        this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        int voters = rnd.nextInt(10) < 7 ? 3 : 5;
        this.electionTicks = 8 + rnd.nextInt(8);
        boolean preVote = rnd.nextInt(10) < 8;
        boolean checkQuorum = rnd.nextInt(10) < 8;
        int inflight = 1 + rnd.nextInt(16);
        long msgBytes = 64 + rnd.nextInt(4096);
        this.proposeP = 0.1 + rnd.nextDouble() * 0.5;
        this.crashP = 0.002 + rnd.nextDouble() * 0.03;
        this.restartP = 0.03 + rnd.nextDouble() * 0.1;
        this.partitionP = 0.005 + rnd.nextDouble() * 0.03;
        this.healP = 0.01 + rnd.nextDouble() * 0.05;
        long uncommitted = rnd.nextBoolean() ? 0 : 2_000 + rnd.nextInt(20_000);
        int heartbeat = 1 + rnd.nextInt(3);
        this.c = new Cluster(seed, b -> b.electionTicks(electionTicks).heartbeatTicks(heartbeat).preVote(preVote)
                .checkQuorum(checkQuorum).maxInflightMessages(inflight).maxMessageBytes(msgBytes)
                .maxInflightBytes(msgBytes * 4).maxUncommittedBytes(uncommitted).snapshotChunkBytes(256)
                .maxApplyBytes(2048), replayHint(seed, steps));
        c.trace(trace);
        long[] ids = new long[voters];
        for (int i = 0; i < voters; i++) {
            ids[i] = i + 1;
        }
        for (long id : ids) {
            c.addHost(id, MemoryStorage.bootstrap(ids));
        }
        for (long id = voters + 1; id <= voters + 2; id++) {
            c.addHost(id, MemoryStorage.joining());
            spares.add(id);
        }
        for (long id : c.ids()) {
            c.start(id);
        }
        c.network(new Network.Faults(rnd.nextDouble() * 0.1, rnd.nextDouble() * 0.05, rnd.nextInt(6)));
        c.maxWriteDelay(rnd.nextInt(4));
        c.trace("seed " + seed + ": " + voters + " voters, election " + electionTicks + ", heartbeat " + heartbeat
                + ", preVote " + preVote + ", checkQuorum " + checkQuorum + ", inflight " + inflight + ", msgBytes "
                + msgBytes + ", uncommitted " + uncommitted);
    }

    /** The command that replays a seed; the trace lands in the ReplaySeedTest output under target/surefire-reports. */
    public static String replayHint(long seed, int steps) {
        return "replay: mvn -o -pl replication test -Dtest=ReplaySeedTest -Draft.sim.seed=" + seed + " -Draft.sim.steps="
                + steps + "  (trace: replication/target/surefire-reports/io.eventlog.replication.ReplaySeedTest-output.txt)";
    }

    /** Runs one seed for {@code steps} ticks of faults, then the liveness phase. */
    public static Result run(long seed, int steps, Consumer<String> trace) {
        Simulation s = new Simulation(seed, steps, trace);
        try {
            return s.run();
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e + "\n" + replayHint(seed, steps), e);
        }
    }

    private Result run() {
        for (int step = 0; step < steps; step++) {
            c.tick();
            act();
        }
        long liveness = heal();
        return new Result(seed, c.now(), c.events(), c.checker().checks(), c.checker().maxCommitted(), liveness,
                c.counters());
    }

    private void act() {
        if (chance(proposeP)) {
            long leader = c.leader();
            if (leader != 0) {
                try {
                    c.propose(leader, 1 + rnd.nextInt(4), 8 + rnd.nextInt(120));
                } catch (ProposalRejectedException expected) {
                    // transfer in progress or too many uncommitted bytes: the client retries later
                }
            }
        }
        if (chance(0.05)) {
            long id = randomUp();
            if (id != 0) {
                c.readIndex(id);
            }
        }
        if (chance(crashP)) {
            long id = randomUp();
            if (id != 0) {
                c.crash(id);
            }
        }
        if (chance(restartP)) {
            long id = randomDown();
            if (id != 0) {
                c.start(id);
            }
        }
        if (!c.net().hasCuts() && chance(partitionP)) {
            partition();
        } else if (c.net().hasCuts() && chance(healP)) {
            c.heal();
        }
        if (chance(0.006)) {
            transfer();
        }
        if (chance(0.008)) {
            changeMembership();
        }
        if (chance(0.03)) {
            long id = randomUp();
            if (id != 0) {
                c.compact(id);
            }
        }
    }

    private void partition() {
        List<Long> ids = new ArrayList<>(c.ids());
        switch (rnd.nextInt(3)) {
            case 0 -> {
                long id = ids.get(rnd.nextInt(ids.size()));
                c.trace("t" + c.now() + " isolate " + id);
                c.count("partition: isolate one");
                c.isolate(id);
            }
            case 1 -> {
                shuffle(ids);
                int minority = 1 + rnd.nextInt(ids.size() / 2);
                Set<Long> a = new HashSet<>(ids.subList(0, minority));
                Set<Long> b = new HashSet<>(ids.subList(minority, ids.size()));
                c.trace("t" + c.now() + " partition " + a + " | " + b);
                c.count("partition: minority/majority");
                c.partition(a, b);
            }
            default -> {
                long from = ids.get(rnd.nextInt(ids.size()));
                long to = ids.get(rnd.nextInt(ids.size()));
                if (from != to) {
                    c.trace("t" + c.now() + " cut " + from + " -> " + to);
                    c.count("partition: one-way");
                    c.cut(from, to);
                }
            }
        }
    }

    private void transfer() {
        long leader = c.leader();
        if (leader == 0) {
            return;
        }
        long[] voters = c.config(leader).voterIds();
        long target = voters[rnd.nextInt(voters.length)];
        c.trace("t" + c.now() + " transfer " + leader + " -> " + target);
        try {
            c.on(leader, n -> n.transferLeadership(target));
            c.count("transfer");
        } catch (ProposalRejectedException ignored) {
            // not leader any more
        }
    }

    private void changeMembership() {
        long leader = c.leader();
        if (leader == 0) {
            return;
        }
        ClusterConfig config = c.config(leader);
        ConfChange change;
        if (!config.learners().isEmpty()) {
            change = ConfChange.promote(config.learners().iterator().next());
        } else if (config.voters().size() < 5 && !spares.isEmpty()) {
            change = ConfChange.addLearner(spares.get(0));
        } else if (config.voters().size() > 3) {
            long[] voters = config.voterIds();
            change = ConfChange.remove(voters[rnd.nextInt(voters.length)]);
        } else {
            return;
        }
        try {
            c.on(leader, n -> n.proposeConfChange(change));
            c.trace("t" + c.now() + " conf change " + change + " on " + leader);
            c.count("conf change " + change.type());
            if (change.type() == ConfChange.Type.ADD_LEARNER) {
                spares.remove(0);
            } else if (change.type() == ConfChange.Type.REMOVE) {
                everRemoved.add(change.nodeId());
            }
        } catch (ProposalRejectedException notNow) {
            // pending change, not caught up, or lost leadership: try again later
        }
    }

    /**
     * Heals every fault and restarts every node, then waits for a leader, for every proposal that
     * was not applied yet (clients retry them, as a real client retries a request it got no answer
     * for) and for a fresh proposal to be applied by every member. Returns the ticks it took.
     */
    private long heal() {
        c.heal();
        c.network(new Network.Faults(0, 0, 2));
        for (long id : c.ids()) {
            if (!c.host(id).up()) {
                c.start(id);
            }
        }
        List<Long> pending = c.checker().unappliedProposals();
        java.util.ArrayDeque<Long> retries = new java.util.ArrayDeque<>(pending);
        long longestLog = 0;
        for (long id : c.ids()) {
            longestLog = Math.max(longestLog, c.node(id).lastIndex());
        }
        long bound = Math.max(LIVENESS_TICKS, 2000 + 4 * longestLog);
        long start = c.now();
        long probeIndex = 0;
        long probeTerm = 0;
        long probeLeader = 0;
        while (c.now() - start < bound) {
            c.tick();
            long leader = c.leader();
            if (leader == 0) {
                continue;
            }
            RaftNode l = c.node(leader);
            retry(leader, retries);
            if (probeIndex == 0 || leader != probeLeader || l.term() != probeTerm
                    || (l.termAt(probeIndex) != probeTerm)) {
                try {
                    probeIndex = c.propose(leader);
                    probeLeader = leader;
                    probeTerm = l.term();
                } catch (ProposalRejectedException notNow) {
                    probeIndex = 0;
                }
                continue;
            }
            if (allApplied(l, probeIndex)) {
                if (retries.isEmpty() && pending.stream().allMatch(c.checker()::applied)) {
                    return c.now() - start;
                }
                retries.addAll(pending.stream().filter(id -> !c.checker().applied(id)).toList());
                probeIndex = 0; // a retried proposal may have been lost with a leader: retry and probe again
            }
        }
        throw new AssertionError("seed " + seed + ": liveness: no leader committed the pending proposals and a fresh one"
                + " on all members within " + bound + " ticks after the faults healed (leader " + c.leader()
                + ", probe " + probeIndex + ", " + pending.stream().filter(id -> !c.checker().applied(id)).count()
                + " proposals pending)\n" + replayHint(seed, steps));
    }

    /** Re-proposes up to 50 pending payloads on the leader. */
    private void retry(long leader, java.util.ArrayDeque<Long> retries) {
        if (retries.isEmpty()) {
            return;
        }
        List<Long> batch = new ArrayList<>();
        while (!retries.isEmpty() && batch.size() < 50) {
            batch.add(retries.pollFirst());
        }
        try {
            c.propose(leader, batch, 16);
        } catch (ProposalRejectedException notNow) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                retries.addFirst(batch.get(i));
            }
        }
    }

    private boolean allApplied(RaftNode leader, long index) {
        if (leader.role() != Role.LEADER || leader.commitIndex() < index) {
            return false;
        }
        for (long member : leader.config().members()) {
            Host h = c.host(member);
            if (h.appliedIndex() < index) {
                return false;
            }
        }
        return true;
    }

    private long randomUp() {
        List<Long> up = new ArrayList<>();
        for (long id : c.ids()) {
            if (c.host(id).up()) {
                up.add(id);
            }
        }
        return up.isEmpty() ? 0 : up.get(rnd.nextInt(up.size()));
    }

    private long randomDown() {
        List<Long> down = new ArrayList<>();
        for (long id : c.ids()) {
            if (!c.host(id).up()) {
                down.add(id);
            }
        }
        return down.isEmpty() ? 0 : down.get(rnd.nextInt(down.size()));
    }

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private void shuffle(List<Long> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Long t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

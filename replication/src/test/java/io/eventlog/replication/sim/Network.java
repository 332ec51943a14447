package io.eventlog.replication.sim;

import io.eventlog.replication.Message;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A simulated network: each message is delivered after a random delay (so messages reorder),
 * may be dropped or duplicated, and never crosses a cut link. With the default faults (none) it
 * delivers everything in send order at once.
 */
public final class Network {

    /** Probabilities and delays of the network's faults. */
    public record Faults(double drop, double duplicate, int maxDelay) {
        public static final Faults NONE = new Faults(0, 0, 0);
    }

    private record InFlight(long deliverAt, long seq, Message message) {
    }

    private final RandomGenerator random;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    /** Cut directed links, as from * 2^32 + to. */
    private final Set<Long> cut = new HashSet<>();
    private Faults faults = Faults.NONE;
    private long seq;
    private long sent;
    private long dropped;

    public Network(RandomGenerator random) {
        this.random = random;
    }

    public void faults(Faults f) {
        this.faults = f;
    }

    public void send(Message m, long now) {
        sent++;
        if (cut.contains(link(m.from(), m.to())) || (faults.drop() > 0 && random.nextDouble() < faults.drop())) {
            dropped++;
            return;
        }
        enqueue(m, now);
        if (faults.duplicate() > 0 && random.nextDouble() < faults.duplicate()) {
            enqueue(m, now);
        }
    }

    private void enqueue(Message m, long now) {
        int delay = faults.maxDelay() == 0 ? 0 : random.nextInt(faults.maxDelay() + 1);
        queue.add(new InFlight(now + delay, seq++, m));
    }

    /** The next message due at or before {@code now}, or null. Messages over a link cut since they were sent are lost. */
    public Message poll(long now) {
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            Message m = queue.poll().message;
            if (!cut.contains(link(m.from(), m.to()))) {
                return m;
            }
            dropped++;
        }
        return null;
    }

    public boolean idle() {
        return queue.isEmpty();
    }

    /** Cuts the link from {@code from} to {@code to} (one way). */
    public void cut(long from, long to) {
        cut.add(link(from, to));
    }

    /** Cuts both directions between every node of {@code a} and every node of {@code b}. */
    public void partition(Set<Long> a, Set<Long> b) {
        for (long x : a) {
            for (long y : b) {
                cut(x, y);
                cut(y, x);
            }
        }
    }

    public void isolate(long node, Set<Long> all) {
        Set<Long> others = new HashSet<>(all);
        others.remove(node);
        partition(Set.of(node), others);
    }

    public void heal() {
        cut.clear();
    }

    public boolean hasCuts() {
        return !cut.isEmpty();
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    private static long link(long from, long to) {
        return (from << 32) + to;
    }
}

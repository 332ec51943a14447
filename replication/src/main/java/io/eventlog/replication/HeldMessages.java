package io.eventlog.replication;

import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.SnapshotResponse;
import io.eventlog.replication.Message.VoteResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The persistence contract's waiting room: messages that promise something durable (a vote, an
 * acknowledgement of entries or of a snapshot) wait here until the driver reports it durable.
 */
final class HeldMessages {

    private sealed interface Held {
    }

    /** Entries up to ack.index() are durable, and the entry there still has term {@code entryTerm}. */
    private record Ack(AppendResponse ack, long entryTerm) implements Held {
    }

    /** The vote for grant.to() in grant.term() is durable. */
    private record Vote(VoteResponse grant) implements Held {
    }

    /** The snapshot at done.snapshotIndex() is durable. */
    private record SnapshotDone(SnapshotResponse done) implements Held {
    }

    private final List<Held> held = new ArrayList<>();

    void holdAck(AppendResponse ack, long entryTerm) {
        held.add(new Ack(ack, entryTerm));
    }

    void holdVote(VoteResponse grant) {
        held.add(new Vote(grant));
    }

    void holdSnapshotDone(SnapshotResponse done) {
        held.add(new SnapshotDone(done));
    }

    /** Forgets everything: the term changed, so nobody waits for these answers any more. */
    void clear() {
        held.clear();
    }

    /**
     * Moves to {@code out} the messages whose promise is now durable. Of several acknowledgements
     * to the same leader only the highest leaves; one for entries superseded before they became
     * durable is dropped.
     */
    void release(RaftLog log, HardState durable, List<Message> out) {
        if (held.isEmpty()) {
            return;
        }
        AppendResponse bestAck = null;
        Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (h instanceof Ack a) {
                long index = a.ack().index();
                long t = log.term(index);
                if (log.durableIndex() >= index) {
                    it.remove();
                    if (t == a.entryTerm() || t == RaftLog.UNKNOWN) {
                        if (bestAck != null && bestAck.to() != a.ack().to()) {
                            out.add(bestAck);
                            bestAck = a.ack();
                        } else if (bestAck == null || index > bestAck.index()) {
                            bestAck = a.ack();
                        }
                    }
                } else if (t != a.entryTerm()) {
                    it.remove(); // superseded before it became durable
                }
            } else if (h instanceof Vote v) {
                VoteResponse grant = v.grant();
                if (durable.term() > grant.term() || (durable.term() == grant.term() && durable.vote() == grant.to())) {
                    it.remove();
                    out.add(grant);
                }
            } else if (h instanceof SnapshotDone s) {
                if (log.durableIndex() >= s.done().snapshotIndex()) {
                    it.remove();
                    out.add(s.done());
                }
            }
        }
        if (bestAck != null) {
            out.add(bestAck);
        }
    }
}

package io.eventlog.replication;

/**
 * The leader's view of one member (etcd's progress tracker, thesis §3.5 flow control):
 * <ul>
 *   <li>PROBE: we do not know where the follower's log matches ours; one AppendRequest at a time.</li>
 *   <li>REPLICATE: it matches; stream AppendRequests, bounded by the in-flight window.</li>
 *   <li>SNAPSHOT: its next entry is compacted away; send the snapshot chunk by chunk.</li>
 * </ul>
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    final long id;
    /** Highest index known durable on the member and matching the leader's log. */
    long match;
    /** Next index to send. */
    long next;
    State state = State.PROBE;
    /** In PROBE: an AppendRequest is out and unanswered. */
    boolean probeSent;
    final Inflights inflights;
    /** Heard from in the current check-quorum interval. */
    boolean recentActive;
    /** match at the previous check-quorum interval, to notice a stalled pipeline. */
    long matchAtLastCheck;
    /** Highest ReadIndex sequence the member confirmed in this term. */
    long readAck;
    /** In SNAPSHOT: the snapshot being sent and the next byte the member expects. */
    long snapshotIndex;
    long snapshotOffset;

    Progress(long id, long next, int maxInflight, long maxInflightBytes) {
        this.id = id;
        this.next = next;
        this.inflights = new Inflights(maxInflight, maxInflightBytes);
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    void becomeProbe() {
        if (state == State.SNAPSHOT) {
            next = Math.max(match + 1, snapshotIndex + 1);
        } else {
            next = match + 1;
        }
        state = State.PROBE;
        probeSent = false;
        inflights.reset();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        probeSent = false;
        inflights.reset();
    }

    void becomeSnapshot(long index) {
        state = State.SNAPSHOT;
        snapshotIndex = index;
        snapshotOffset = 0;
        probeSent = false;
        inflights.reset();
    }

    /** A success ack: returns true if it moved match forward. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (index > match) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** After sending entries up to {@code last} in REPLICATE or PROBE state. */
    void sentEntries(long last, long bytes) {
        if (state == State.REPLICATE) {
            if (last >= next) {
                next = last + 1;
                inflights.add(last, bytes);
            }
        } else if (state == State.PROBE) {
            probeSent = true;
        }
    }

    @Override
    public String toString() {
        return "Progress[" + id + " " + state + " match=" + match + " next=" + next + "]";
    }
}

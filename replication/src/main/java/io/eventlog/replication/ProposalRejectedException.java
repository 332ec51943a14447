package io.eventlog.replication;

/**
 * Thrown by {@link RaftNode#propose} and friends when the node cannot take the proposal now. Cheap
 * to throw (no stack trace): rejections are part of normal operation.
 */
public final class ProposalRejectedException extends RuntimeException {

    public enum Reason {
        /** This node is not the leader; {@link #leaderHint()} names the leader if known (0 otherwise). */
        NOT_LEADER,
        /** A leadership transfer is in progress; retry on the new leader. */
        TRANSFER_IN_PROGRESS,
        /** Too many bytes proposed but not yet committed: back off. */
        TOO_MANY_UNCOMMITTED_BYTES,
        /** A membership change is still uncommitted, or this leader has not committed in its term yet. */
        CONF_CHANGE_PENDING,
        /** The change is invalid for the current configuration, or the learner is not caught up. */
        INVALID_CONF_CHANGE
    }

    private final Reason reason;
    private final long leaderHint;

    public ProposalRejectedException(Reason reason, long leaderHint, String detail) {
        super(reason + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.leaderHint = leaderHint;
    }

    public Reason reason() {
        return reason;
    }

    public long leaderHint() {
        return leaderHint;
    }
}

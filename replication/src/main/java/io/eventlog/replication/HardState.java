package io.eventlog.replication;

/**
 * What a node must keep across crashes besides its log: its current term and whom it voted for
 * in that term (0 = nobody). The driver writes it atomically (replace + fsync) and reports it with
 * {@link RaftNode#persistedHardState}.
 */
public record HardState(long term, long vote) {

    public static final HardState EMPTY = new HardState(0, 0);

    public HardState {
        if (term < 0 || vote < 0) {
            throw new IllegalArgumentException("negative term or vote: " + term + ", " + vote);
        }
    }
}

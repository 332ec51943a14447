package io.eventlog.replication;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How one node of one group behaves. Build with {@link #builder(long, long, RandomGenerator)}; the
 * defaults suit a tick of about 100 ms.
 *
 * @param id                  this node's id (positive)
 * @param group               the group every message of this node names
 * @param electionTicks       a follower that hears no leader for a random number of ticks in
 *                            {@code [electionTicks, 2 * electionTicks)} starts an election; a leader
 *                            that does not hear from a quorum for this many ticks steps down
 * @param heartbeatTicks      ticks between leader heartbeats
 * @param preVote             ask for pre-votes before raising the term (thesis §9.6)
 * @param checkQuorum         leaders step down without a live quorum, and voters ignore elections
 *                            while they hear from a leader (thesis §6.2, §9.6)
 * @param maxMessageBytes     soft limit of entry bytes per AppendRequest
 * @param maxInflightMessages AppendRequests in flight per follower
 * @param maxInflightBytes    entry bytes in flight per follower
 * @param maxUncommittedBytes payload bytes a leader accepts but has not committed (0 = no limit)
 * @param maxApplyBytes       soft limit of committed entry bytes per Ready
 * @param snapshotChunkBytes  size of InstallSnapshot chunks
 * @param applied             the index the state machine has already applied (on restart), at least
 *                            the snapshot index; committed entries after it are handed out again
 * @param random              the only source of randomness (election timeouts)
 */
public record RaftConfig(long id, long group, int electionTicks, int heartbeatTicks, boolean preVote,
                         boolean checkQuorum, long maxMessageBytes, int maxInflightMessages, long maxInflightBytes,
                         long maxUncommittedBytes, long maxApplyBytes, int snapshotChunkBytes, long applied,
                         RandomGenerator random) {

    public RaftConfig {
        Objects.requireNonNull(random, "random");
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive");
        }
        if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks");
        }
        if (maxMessageBytes <= 0 || maxInflightMessages <= 0 || maxInflightBytes <= 0 || maxApplyBytes <= 0
                || snapshotChunkBytes <= 0 || maxUncommittedBytes < 0 || applied < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static Builder builder(long id, long group, RandomGenerator random) {
        return new Builder(id, group, random);
    }

    public Builder toBuilder() {
        return new Builder(id, group, random).electionTicks(electionTicks).heartbeatTicks(heartbeatTicks)
                .preVote(preVote).checkQuorum(checkQuorum).maxMessageBytes(maxMessageBytes)
                .maxInflightMessages(maxInflightMessages).maxInflightBytes(maxInflightBytes)
                .maxUncommittedBytes(maxUncommittedBytes).maxApplyBytes(maxApplyBytes)
                .snapshotChunkBytes(snapshotChunkBytes).applied(applied);
    }

    /** Fluent builder with defaults. */
    public static final class Builder {
        private final long id;
        private final long group;
        private RandomGenerator random;
        private int electionTicks = 10;
        private int heartbeatTicks = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private long maxMessageBytes = 1 << 20;
        private int maxInflightMessages = 256;
        private long maxInflightBytes = 32L << 20;
        private long maxUncommittedBytes = 64L << 20;
        private long maxApplyBytes = 4L << 20;
        private int snapshotChunkBytes = 1 << 20;
        private long applied;

        private Builder(long id, long group, RandomGenerator random) {
            this.id = id;
            this.group = group;
            this.random = random;
        }

        public Builder electionTicks(int v) { electionTicks = v; return this; }

        public Builder heartbeatTicks(int v) { heartbeatTicks = v; return this; }

        public Builder preVote(boolean v) { preVote = v; return this; }

        public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }

        public Builder maxMessageBytes(long v) { maxMessageBytes = v; return this; }

        public Builder maxInflightMessages(int v) { maxInflightMessages = v; return this; }

        public Builder maxInflightBytes(long v) { maxInflightBytes = v; return this; }

        public Builder maxUncommittedBytes(long v) { maxUncommittedBytes = v; return this; }

        public Builder maxApplyBytes(long v) { maxApplyBytes = v; return this; }

        public Builder snapshotChunkBytes(int v) { snapshotChunkBytes = v; return this; }

        public Builder applied(long v) { applied = v; return this; }

        public Builder random(RandomGenerator v) { random = v; return this; }

        public RaftConfig build() {
            return new RaftConfig(id, group, electionTicks, heartbeatTicks, preVote, checkQuorum, maxMessageBytes,
                    maxInflightMessages, maxInflightBytes, maxUncommittedBytes, maxApplyBytes, snapshotChunkBytes,
                    applied, random);
        }
    }
}

package io.eventlog.server.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a node knows about its cluster, as {@code GET /v1/cluster} shows it (API.md).
 *
 * @param node        this node's id
 * @param leader      the id of the leader this node knows, or null while none is known
 * @param term        the current Raft term
 * @param commitIndex Raft's commit index as this node knows it
 * @param members     every member, this node included
 * @param ready       whether this node can serve: a leader is known and it has applied up to the
 *                    commit index it last learned
 */
public record ClusterView(String node, String leader, long term, long commitIndex, List<Member> members,
                          boolean ready) {

    public ClusterView {
        Objects.requireNonNull(node, "node");
        members = List.copyOf(members);
    }

    /**
     * One member of the cluster.
     *
     * @param id         its id
     * @param address    where its HTTP API listens, host:port
     * @param role       its role as this node sees it
     * @param matchIndex the highest index known to be replicated on it: known on the leader, null elsewhere
     */
    public record Member(String id, String address, Role role, Long matchIndex) {
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
        }
    }

    public enum Role {
        LEADER, FOLLOWER, CANDIDATE, LEARNER;

        /** The role as the API writes it: lower case. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The view of a node that is a cluster of one: it is the leader and the only member, its
     * commit index is the last offset it holds, and it is ready.
     */
    public static ClusterView singleNode(String id, String address, long lastOffset) {
        long index = Math.max(0, lastOffset);
        return new ClusterView(id, id, 1, index, List.of(new Member(id, address, Role.LEADER, index)), true);
    }
}

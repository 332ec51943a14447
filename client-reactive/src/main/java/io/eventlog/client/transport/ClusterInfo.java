package io.eventlog.client.transport;

import java.util.Map;

/**
 * What one node tells about its cluster ({@code GET /v1/cluster}), as far as the client needs it.
 *
 * @param node        the answering node's id
 * @param leader      the leader's id, or null while the node knows none
 * @param commitIndex the commit index the node knows (the last offset of the log on a single node)
 * @param members     each member's id and client API address (null when a member's address is unknown)
 */
public record ClusterInfo(String node, String leader, long commitIndex, Map<String, NodeAddress> members) {

    public ClusterInfo {
        members = Map.copyOf(members);
    }

    /** The leader's client API address, or null when no leader or no address is known. */
    public NodeAddress leaderAddress() {
        return leader == null ? null : members.get(leader);
    }
}

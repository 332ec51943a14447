package io.eventlog.server.replicated;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Role;
import io.eventlog.server.cluster.ClusterView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** Builds {@code GET /v1/cluster}'s view from the Raft core's state. */
final class ClusterStatus {
    private ClusterStatus() {
    }

    static ClusterView of(RaftNode raft, ReplicationConfig config, long appliedIndex,
                          LongFunction<String> httpAddressOfPeer) {
        ClusterConfig members = raft.config();
        long self = config.nodeId();
        long leader = raft.leader();
        List<ClusterView.Member> list = new ArrayList<>();
        for (long id : members.members()) {
            String address = id == self ? config.httpAddress() : httpAddressOfPeer.apply(id);
            // The core tracks followers' progress; the leader's own log is durable up to its last index.
            long match = id == self && raft.role() == Role.LEADER ? raft.lastIndex() : raft.matchIndex(id);
            list.add(new ClusterView.Member(String.valueOf(id), address, role(raft, members, id, leader),
                    match < 0 ? null : match));
        }
        return new ClusterView(String.valueOf(self), leader == 0 ? null : String.valueOf(leader), raft.term(),
                raft.commitIndex(), list, leader != 0 && appliedIndex >= raft.commitIndex());
    }

    private static ClusterView.Role role(RaftNode raft, ClusterConfig members, long id, long leader) {
        if (members.isLearner(id)) {
            return ClusterView.Role.LEARNER;
        }
        if (id == leader) {
            return ClusterView.Role.LEADER;
        }
        if (id == raft.id() && (raft.role() == Role.CANDIDATE || raft.role() == Role.PRE_CANDIDATE)) {
            return ClusterView.Role.CANDIDATE;
        }
        return ClusterView.Role.FOLLOWER;
    }
}

package io.eventlog.server.cluster;

import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;

/**
 * Membership and leadership changes of a cluster, done by its leader. Each completes with the
 * cluster's view once the change has taken effect, or fails with an {@code EventLogException}:
 * {@link NotLeaderException} on a follower, {@code conflict} when the change does not fit the
 * membership (already a member, another change in progress), {@code timeout}.
 */
public interface ClusterAdmin {

    /**
     * Adds node {@code id}, reachable for its peers at {@code peerAddress}, as a learner; the leader
     * promotes it to a voter once it has caught up. Completes once the learner is a member.
     */
    Mono<ClusterView> addMember(long id, InetSocketAddress peerAddress);

    /** Removes node {@code id} (a leader that removes itself steps down once the change commits). */
    Mono<ClusterView> removeMember(long id);

    /** Hands leadership to node {@code id} (a caught-up voter); completes once it leads. */
    Mono<ClusterView> transferLeadership(long id);
}

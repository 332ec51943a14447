package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.cluster.NotLeaderException;
import io.eventlog.server.node.EventLogNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Given a cluster of three, nodes join as learners, are promoted, removed, and leadership moves. */
class MembershipTest {
    @TempDir
    Path root;

    @Test
    void aJoiningNodeCatchesUpAsALearnerAndIsPromotedToVoter() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 1)) {
            int leader = cluster.awaitLeader();
            for (int i = 0; i < 30; i++) {
                append(cluster.node(leader), "before-" + (i % 3));
            }
            EventLogNode joining = cluster.startJoining(4);
            ClusterView view = cluster.onLeader(admin -> admin.addMember(4, cluster.peerAddress(4)));
            assertTrue(view.members().stream().anyMatch(m -> m.id().equals("4")), view.toString());

            InProcessCluster.await("node 4 promoted to voter", () -> joining.clusterView().members().stream()
                    .anyMatch(m -> m.id().equals("4") && m.role() != ClusterView.Role.LEARNER));
            AppendResult after = append(joining, "after");
            assertEquals(readAll(cluster.node(leader), after.offset()), readAll(joining, after.offset()));
            assertEquals(4, joining.clusterView().members().size());
        }
    }

    @Test
    void aRemovedMemberLeavesAndTheRestKeepCommitting() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);
            ClusterView view = cluster.onLeader(admin -> admin.removeMember(follower));
            assertEquals(2, view.members().size(), view.toString());
            cluster.stop(follower);
            // Two voters left: both are needed, and both are running.
            AppendResult result = append(cluster.node(cluster.awaitLeader()), "s");
            assertTrue(result.offset() > 0);
        }
    }

    @Test
    void leadershipIsHandedOverOnRequestAndAFollowerPointsAtTheLeader() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int target = cluster.aFollower(leader);
            append(cluster.node(leader), "s");

            EventLogException onFollower = assertThrows(EventLogException.class,
                    () -> cluster.node(target).clusterAdmin().transferLeadership(target).block(Duration.ofSeconds(10)));
            NotLeaderException redirect = assertInstanceOf(NotLeaderException.class, onFollower);
            assertTrue(redirect.leaderAddress().matches("127\\.0\\.0\\.1:1700[1-3]")
                    && !redirect.leaderAddress().endsWith(String.valueOf(target)), redirect.leaderAddress());

            ClusterView view = cluster.onLeader(admin -> admin.transferLeadership(target));
            assertEquals(String.valueOf(target), view.leader());
            append(cluster.node(target), "s");
        }
    }

    @Test
    void changesThatDoNotFitTheMembershipAreConflicts() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            EventLogException already = assertThrows(EventLogException.class,
                    () -> cluster.onLeader(admin -> admin.addMember(1, cluster.peerAddress(1))));
            assertEquals(ErrorCode.CONFLICT, already.code());
            EventLogException unknown = assertThrows(EventLogException.class,
                    () -> cluster.onLeader(admin -> admin.removeMember(9)));
            assertEquals(ErrorCode.CONFLICT, unknown.code());
        }
    }

    private static AppendResult append(EventLogNode node, String stream) {
        return node.append(stream, List.of(EventData.json("T", "{}")), AppendOptions.DEFAULT)
                .block(Duration.ofSeconds(10));
    }

    private static List<Entry> readAll(EventLogNode node, long upTo) {
        return node.read(ReadRequest.log(1, 10_000).withMinOffset(upTo)).collectList().block(Duration.ofSeconds(10));
    }
}

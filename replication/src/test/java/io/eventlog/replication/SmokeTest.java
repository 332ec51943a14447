package io.eventlog.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.eventlog.replication.sim.Cluster;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void threeNodesElectALeaderAndCommit() {
        Cluster c = Cluster.of(3);
        c.tick(30);
        long leader = c.leader();
        assertNotEquals(0, leader);
        long index = c.propose(leader, 5, 100);
        c.tick(2);
        for (long id : c.ids()) {
            assertEquals(index + 4, c.node(id).commitIndex(), "node " + id);
            assertEquals(index + 4, c.host(id).appliedIndex(), "node " + id);
        }
    }
}

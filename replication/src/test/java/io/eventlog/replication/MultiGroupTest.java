package io.eventlog.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Many groups in one process: no shared state, and every message finds its group by name. */
class MultiGroupTest {

    @Test
    void twoGroupsWithTheSameNodeIdsRunSideBySideInOneThread() {
        Map<String, RaftNode> nodes = new HashMap<>();
        Map<String, MemoryStorage> storages = new HashMap<>();
        Map<String, List<Entry>> applied = new HashMap<>();
        for (long group : new long[] {100, 200}) {
            for (long id = 1; id <= 3; id++) {
                MemoryStorage s = MemoryStorage.bootstrap(1, 2, 3);
                storages.put(group + "/" + id, s);
                nodes.put(group + "/" + id, new RaftNode(RaftConfig.builder(id, group, new SplittableRandom(group + id)).build(), s));
                applied.put(group + "/" + id, new ArrayList<>());
            }
        }
        ArrayDeque<Message> wire = new ArrayDeque<>();
        Runnable pump = () -> {
            boolean busy = true;
            while (busy) {
                busy = false;
                for (Map.Entry<String, RaftNode> e : nodes.entrySet()) {
                    while (e.getValue().hasReady()) {
                        busy = true;
                        Ready r = e.getValue().ready();
                        wire.addAll(r.messages());
                        storages.get(e.getKey()).persist(r);
                        e.getValue().advance(r);
                        applied.get(e.getKey()).addAll(r.committedEntries());
                    }
                }
                Message m;
                while ((m = wire.poll()) != null) {
                    busy = true;
                    nodes.get(m.group() + "/" + m.to()).step(m);
                }
            }
        };

        nodes.get("100/1").campaign();
        nodes.get("200/3").campaign();
        pump.run();
        nodes.get("100/1").propose(new byte[] {1});
        nodes.get("200/3").propose(new byte[] {2});
        pump.run();
        nodes.values().forEach(RaftNode::tick); // a heartbeat carries the commit index
        pump.run();

        for (long id = 1; id <= 3; id++) {
            assertEquals(1, nodes.get("100/" + id).leader());
            assertEquals(3, nodes.get("200/" + id).leader());
            assertArrayEquals(new byte[] {1}, applied.get("100/" + id).get(1).payload());
            assertArrayEquals(new byte[] {2}, applied.get("200/" + id).get(1).payload());
        }
    }
}

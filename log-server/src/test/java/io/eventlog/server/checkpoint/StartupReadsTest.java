package io.eventlog.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start-up from a checkpoint reads the log after it only, counted in the log's excerpts read. */
class StartupReadsTest {
    @TempDir
    Path dir;

    @Test
    void aStartFromACheckpointReadsOnlyTheLogAfterIt() throws IOException {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dir))) {
            TestFiles.append(node, 0, 3000);
            node.checkpoint().block();
            TestFiles.append(node, 3000, 40);
        }
        Path checkpoints = dir.resolve("checkpoints");
        Files.delete(checkpoints.resolve("00000000000000003040.ckpt")); // as if the node had crashed

        // the checkpoint's anchor record, the 40 entries after it, and the start-up marker read back
        assertEquals(1 + 40 + 1, excerptsReadByAStart());
        assertTrue(Files.exists(checkpoints.resolve("00000000000000003040.ckpt")), "written again on close");

        Files.delete(checkpoints.resolve("00000000000000003040.ckpt"));
        Files.delete(checkpoints.resolve("00000000000000003000.ckpt"));
        // no checkpoint: the check that the log starts at offset 1 (the first marker and the first entry),
        // then the two start-up markers, every entry, the new marker read back
        assertEquals(2 + 2 + 3040 + 1, excerptsReadByAStart());
    }

    private double excerptsReadByAStart() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dir).withMeterRegistry(meters))) {
            assertEquals(3040, node.lastOffset());
            return meters.get("eventlog.log.excerpts.read").functionCounter().count();
        }
    }
}

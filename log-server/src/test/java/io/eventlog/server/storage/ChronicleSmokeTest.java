package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleSmokeTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBack() {
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile()).build()) {
            q.createAppender().writeBytes(b -> b.writeLong(42L));
            ExcerptTailer t = q.createTailer();
            long[] v = {0};
            t.readBytes(b -> v[0] = b.readLong());
            assertEquals(42L, v[0]);
            assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        }
    }
}

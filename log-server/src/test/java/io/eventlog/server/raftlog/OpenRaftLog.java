package io.eventlog.server.raftlog;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/** A node's queue and the Raft storage on it, opened and closed together, as a restart does. */
record OpenRaftLog(ChronicleLog log, ChronicleRaftStorage storage) implements AutoCloseable {

    static OpenRaftLog open(Path dataDir, ClusterConfig initialConfig) {
        return open(dataDir, initialConfig, RollCycles.FAST_HOURLY);
    }

    static OpenRaftLog open(Path dataDir, ClusterConfig initialConfig, RollCycle rollCycle) {
        ChronicleLog log = ChronicleLog.open(dataDir, rollCycle, false);
        try {
            return new OpenRaftLog(log, ChronicleRaftStorage.open(log, dataDir, initialConfig));
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** A NORMAL entry's payload as a leader would encode it: an event of {@code stream} whose data is {@code data}. */
    static byte[] eventPayload(String stream, long version, String data) {
        byte[] body = RecordCodec.encodeBody(stream, null, Map.of(), data.getBytes(StandardCharsets.UTF_8));
        return RecordCodec.encodeEventPayload(1_763_800_000_000L + version, version, 1, null, body);
    }

    @Override
    public void close() {
        storage.close();
        log.close();
    }
}

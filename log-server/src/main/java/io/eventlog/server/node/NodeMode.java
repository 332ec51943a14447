package io.eventlog.server.node;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory is either a single node's or a cluster member's, for good: their logs differ
 * (a cluster member's holds Raft terms, no-ops and truncation markers, and its {@code raft/}
 * directory holds the term, vote and membership). Opening one as the other is refused.
 */
final class NodeMode {
    static final String RAFT_DIRECTORY = "raft";

    private NodeMode() {
    }

    static void check(NodeConfig config, ChronicleLog log) {
        Path dir = config.dataDir().toAbsolutePath();
        boolean clusterDirectory = Files.isDirectory(dir.resolve(RAFT_DIRECTORY));
        if (config.replication() == null && clusterDirectory) {
            throw new EventLogException(ErrorCode.UNAVAILABLE, "the data directory " + dir + " belongs to a cluster"
                    + " member: start it with its --node-id and --peers");
        }
        if (config.replication() != null && !clusterDirectory && holdsEntries(log)) {
            throw new EventLogException(ErrorCode.UNAVAILABLE, "the data directory " + dir + " holds a single node's"
                    + " log; a new cluster member starts on an empty data directory");
        }
    }

    private static boolean holdsEntries(ChronicleLog log) {
        try (LogReader reader = log.createReader()) {
            reader.toStart();
            return reader.next(LogReader.EVERYTHING) != null;
        }
    }
}

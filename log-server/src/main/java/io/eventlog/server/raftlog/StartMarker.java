package io.eventlog.server.raftlog;

import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;

/**
 * The TRUNCATE marker written at every start-up, after the scan, at the index the log goes on from:
 * later scans then agree with this one (it closes a torn tail the scan cut, and puts the next entry in
 * sequence after a snapshot written just before a crash). It also proves that the queue can be read
 * past its end: lost pages can leave a hole of zeroed excerpt headers where readers stop but Chronicle's
 * appender writes beyond, so entries appended now would be unreadable. The storage refuses to open then.
 */
final class StartMarker {
    private StartMarker() {
    }

    /** Writes and syncs the marker, then checks that {@code scanReader}, left at the end of the scan, reads it. */
    static void write(ChronicleLog log, LogReader scanReader, long nextIndex, byte[] payload) {
        long markerIndex;
        try (RaftRecordWriter writer = new RaftRecordWriter(log)) {
            markerIndex = writer.appendTruncate(nextIndex, payload);
            writer.sync();
        } catch (AssertionError e) {
            // With assertions on (-ea), Chronicle's appender itself trips over such a hole.
            throw hole(nextIndex, scanReader, e);
        }
        LogReader.FrameExcerpt seen = scanReader.nextFrame();
        if (seen == null || seen.queueIndex() != markerIndex) {
            throw hole(nextIndex, scanReader, null);
        }
    }

    private static IllegalStateException hole(long nextIndex, LogReader scanReader, Throwable cause) {
        return new IllegalStateException("the Raft log has a hole before index " + nextIndex + " (queue index "
                + Long.toHexString(scanReader.nextIndex()) + "; pages lost in a power loss?): entries written after"
                + " it could not be read back. Move the data directory aside and rebuild this node from a replica.",
                cause);
    }
}

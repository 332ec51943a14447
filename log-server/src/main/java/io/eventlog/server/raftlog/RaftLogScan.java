package io.eventlog.server.raftlog;

import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordFrame;
import io.eventlog.server.storage.RecordKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a Raft log's {@link RaftLogIndex} and its CONFIG entries at start-up by reading the queue.
 *
 * <ul>
 *   <li>An entry record must have the index after the last live one; it becomes live.</li>
 *   <li>{@code TRUNCATE(i)} kills the live entries at and above {@code i}, and the log goes on at {@code i}.</li>
 *   <li>A corrupt record, or an entry out of sequence, starts a torn tail: it and every record after it
 *       are dead, up to the start-up marker that closes it (a TRUNCATE whose payload names the queue
 *       index where the torn tail starts, which the storage writes after this scan).</li>
 *   <li>The first entry (or TRUNCATE) starts the sequence, whatever its index: retention may have deleted
 *       the queue's first files, which the snapshot covers. Entries missing between the snapshot and the
 *       first one held are refused at the end.</li>
 *   <li>At the end, entries at or below the snapshot's index are not live.</li>
 * </ul>
 *
 * <p>Cutting a torn tail is safe because nothing in it was ever acknowledged: the driver reports an
 * entry durable to the core (which only then acknowledges it to the leader or counts it for commit)
 * once it is written (process durability, which a process crash cannot tear) or msynced (fsync
 * durability). What a crash tears was written after the last such point, and so was every record
 * after it. For the same reason the records after a torn tail are dead even if they look valid (a
 * power loss loses pages in any order): a TRUNCATE among them may be one the scan must not trust.
 *
 * <p>The scan's state is the index, the next expected index and the torn-tail start. It may start at
 * the record of any entry the snapshot covers instead of the queue's start: no torn tail is open
 * there (the entry was committed), and what comes before it is in the snapshot.
 *
 * <p>It expects a log written by {@link ChronicleRaftStorage}; a single node's log (RESUME markers,
 * entries of term 0) is refused rather than cut as torn.
 */
final class RaftLogScan {
    private static final Logger LOG = LoggerFactory.getLogger(RaftLogScan.class);
    private static final byte[] NO_PAYLOAD = new byte[0];

    /**
     * What the scan found.
     *
     * @param tornFrom    the queue index where a torn tail starts that no marker closes yet, or -1
     * @param deadRecords records found dead in torn tails
     */
    record Result(RaftLogIndex index, ConfigEntries configs, long tornFrom, long deadRecords) {

        /** The payload of the start-up marker: it closes the torn tail, if the scan found one open. */
        byte[] startMarkerPayload() {
            return tornFrom < 0 ? NO_PAYLOAD
                    : ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(tornFrom).array();
        }
    }

    private final RaftLogIndex index = new RaftLogIndex();
    private final ConfigEntries configs = new ConfigEntries();
    /** The index the next entry must have. */
    private long next = 1;
    /** Whether an entry or a TRUNCATE was met: until then, the first one sets {@link #next}. */
    private boolean started;
    private long tornFrom = -1;
    private long deadRecords;

    private RaftLogScan() {
    }

    /**
     * Reads the queue from {@code fromQueueIndex} (the record of a live entry at or below the snapshot's
     * index; -1 for the queue's start) to its end, where the reader is left.
     */
    static Result scan(LogReader reader, long snapshotIndex, long fromQueueIndex) {
        RaftLogScan scan = new RaftLogScan();
        reader.toStart();
        if (fromQueueIndex >= 0) {
            try {
                reader.moveTo(fromQueueIndex);
            } catch (IllegalStateException notInLog) {
                // The snapshot names a record the queue lacks: read it all, the start-up checks say what is wrong.
                reader.toStart();
            }
        }
        LogReader.FrameExcerpt excerpt;
        while ((excerpt = reader.nextFrame()) != null) {
            scan.accept(excerpt);
        }
        return scan.finish(snapshotIndex);
    }

    private void accept(LogReader.FrameExcerpt excerpt) {
        if (tornFrom >= 0) {
            if (closesTornTail(excerpt)) {
                tornFrom = -1;
                truncate(excerpt.frame().offset());
            } else {
                deadRecords++;
            }
        } else if (excerpt.isCorrupt()) {
            startTornTail(excerpt.queueIndex(), "corrupt (" + excerpt.corruption() + ")");
        } else if (excerpt.frame().kind() == RecordKind.TRUNCATE) {
            startAt(excerpt.frame().offset());
            truncate(excerpt.frame().offset());
        } else {
            startAt(excerpt.frame().offset());
            entry(excerpt.queueIndex(), excerpt.frame());
        }
    }

    private void startAt(long index) {
        if (!started) {
            started = true;
            next = index;
        }
    }

    private void entry(long queueIndex, RecordFrame frame) {
        EntryKind kind = EntryKinds.entryKindOf(frame.kind());
        if (kind == null || frame.term() < 1) {
            throw new IllegalStateException("the queue holds a " + frame.kind() + " record of term " + frame.term()
                    + " at queue index " + Long.toHexString(queueIndex) + ": it is a single node's log, not a Raft"
                    + " log written by " + ChronicleRaftStorage.class.getSimpleName());
        }
        if (frame.offset() != next) {
            startTornTail(queueIndex, "out of sequence (index " + frame.offset() + ")");
            return;
        }
        index.add(frame.offset(), frame.term(), queueIndex);
        if (kind == EntryKind.CONFIG) {
            configs.add(new Entry(frame.offset(), frame.term(), kind, frame.payload()));
        }
        next++;
    }

    private void truncate(long from) {
        if (from > next) {
            // The log jumps ahead: only an installed snapshot does that, and it covers every entry held.
            index.clear();
            configs.clear();
        } else {
            index.truncateFrom(from);
            configs.truncateFrom(from);
        }
        next = from;
    }

    private boolean closesTornTail(LogReader.FrameExcerpt excerpt) {
        if (excerpt.isCorrupt() || excerpt.frame().kind() != RecordKind.TRUNCATE) {
            return false;
        }
        byte[] payload = excerpt.frame().payload();
        return payload.length == 8 && ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong() == tornFrom;
    }

    private void startTornTail(long queueIndex, String why) {
        LOG.warn("Raft log record at queue index {} after index {} is {}: the log is cut back to index {}",
                Long.toHexString(queueIndex), next - 1, why, next - 1);
        tornFrom = queueIndex;
        deadRecords++;
    }

    private Result finish(long snapshotIndex) {
        index.dropThrough(snapshotIndex);
        configs.dropThrough(snapshotIndex);
        if (!index.isEmpty() && index.firstIndex() != snapshotIndex + 1) {
            throw new IllegalStateException("the Raft log's entries start at index " + index.firstIndex()
                    + " but its snapshot ends at " + snapshotIndex + ": the entries between are missing");
        }
        return new Result(index, configs, tornFrom, deadRecords);
    }
}

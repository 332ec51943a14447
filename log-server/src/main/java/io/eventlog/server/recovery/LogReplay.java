package io.eventlog.server.recovery;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.EventStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the node's state at start-up by replaying the log: every live record goes into the offset
 * index and the state machine. A record that fails its checksum, or breaks the offset sequence, starts
 * a dead region: it and everything after it is ignored until a {@link RecordKind#RESUME} marker that
 * names the last good offset. A dead region still open at the end is a torn or corrupt tail; the
 * caller closes it by appending a marker, so the next append goes right after the last good entry.
 */
public final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    /**
     * @param lastGoodOffset the last live offset, -1 when the log holds none
     * @param liveRecords    live event records replayed
     * @param deadRecords    records skipped as corrupt or cut back
     * @param openDeadRegion the log ends in a dead region that no marker closes yet
     */
    public record Result(long lastGoodOffset, long liveRecords, long deadRecords, boolean openDeadRegion) {
    }

    private LogReplay() {
    }

    public static Result replay(LogReader reader, OffsetIndex index, EventStateMachine state) {
        reader.toStart();
        long lastGood = -1;
        long live = 0;
        long dead = 0;
        boolean inDeadRegion = false;
        LogReader.Excerpt excerpt;
        while ((excerpt = reader.next(Long.MAX_VALUE)) != null) {
            StoredRecord record = excerpt.record();
            if (!excerpt.isCorrupt() && record.kind() == RecordKind.RESUME) {
                if (record.offset() == lastGood) {
                    inDeadRegion = false;
                }
                continue;
            }
            boolean inSequence = !excerpt.isCorrupt() && record.offset() == nextOffsetAfter(lastGood);
            if (inDeadRegion || !inSequence) {
                if (!inDeadRegion) {
                    LOG.warn("log record at queue index {} after offset {} is {}: cutting the log back to offset {}",
                            Long.toHexString(excerpt.queueIndex()), lastGood,
                            excerpt.isCorrupt() ? "corrupt (" + excerpt.corruption() + ")"
                                    : "out of sequence (offset " + record.offset() + ")", lastGood);
                }
                inDeadRegion = true;
                dead++;
                continue;
            }
            index.add(record.offset(), excerpt.queueIndex());
            state.apply(record);
            lastGood = record.offset();
            live++;
        }
        return new Result(lastGood, live, dead, inDeadRegion);
    }

    /** Offsets start at 1, like Raft indexes, so a single node's log can later become a Raft log unchanged. */
    public static long nextOffsetAfter(long offset) {
        return offset < 1 ? 1 : offset + 1;
    }
}

package io.eventlog.server.recovery;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.EventStateMachine;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the node's state at start-up by replaying the log: every live record goes into the offset
 * index and the state machine.
 *
 * <p>An append's records are held back until its last record (which carries the append's size) is
 * read, so an append cut short by a crash is never applied in part. A record that fails its checksum,
 * breaks the offset sequence or ends an append of the wrong size starts a dead region: it and
 * everything after it is ignored until a {@link RecordKind#RESUME} marker that names the last good
 * offset. The node writes such a marker at every start-up, after this replay, so whatever was cut back
 * stays dead in later replays and the next append goes right after the last good entry.
 *
 * <p>After a checkpoint, replay starts right after the record the checkpoint ends on ({@link #redo}):
 * there a full replay would stand with that record's offset as the last good one, outside any dead
 * region and between appends, so both go on alike.
 */
public final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    /**
     * @param lastGoodOffset the last live offset, -1 when the log holds none
     * @param liveRecords    live event records replayed
     * @param deadRecords    records skipped: corrupt, out of sequence, or of an append cut short
     */
    public record Result(long lastGoodOffset, long liveRecords, long deadRecords) {
    }

    private final LogReader reader;
    private final OffsetIndex index;
    private final EventStateMachine state;
    private final List<LogReader.Excerpt> unfinishedAppend = new ArrayList<>();
    private long lastGood;
    private long live;
    private long dead;
    private boolean inDeadRegion;

    private LogReplay(LogReader reader, OffsetIndex index, EventStateMachine state, long lastGood) {
        this.reader = reader;
        this.index = index;
        this.state = state;
        this.lastGood = lastGood;
    }

    /** Replays the whole log; the reader is left at the end of what it could read. */
    public static Result replay(LogReader reader, OffsetIndex index, EventStateMachine state) {
        reader.toStart();
        return new LogReplay(reader, index, state, -1).run();
    }

    /**
     * Replays the log from where the reader stands: right after the record of {@code lastGoodOffset},
     * which ends an append that the index and the state (restored from a checkpoint) already hold.
     * The result counts the records read from there on.
     */
    public static Result redo(LogReader reader, OffsetIndex index, EventStateMachine state, long lastGoodOffset) {
        return new LogReplay(reader, index, state, lastGoodOffset).run();
    }

    private Result run() {
        LogReader.Excerpt excerpt;
        while ((excerpt = reader.next(LogReader.EVERYTHING)) != null) {
            StoredRecord record = excerpt.record();
            if (!excerpt.isCorrupt() && record.kind() == RecordKind.RESUME) {
                if (record.offset() == lastGood) {
                    dropUnfinishedAppend();
                    inDeadRegion = false;
                }
            } else if (inDeadRegion) {
                dead++;
            } else if (excerpt.isCorrupt()) {
                startDeadRegion(excerpt, "corrupt (" + excerpt.corruption() + ")");
            } else if (record.offset() != nextOffsetAfter(lastGood) + unfinishedAppend.size()) {
                startDeadRegion(excerpt, "out of sequence (offset " + record.offset() + ")");
            } else {
                unfinishedAppend.add(excerpt);
                if (record.batchCount() > 0) {
                    finishAppend(excerpt);
                }
            }
        }
        if (!unfinishedAppend.isEmpty()) {
            LOG.warn("the log ends in an append cut short after offset {}: its {} records are dropped", lastGood,
                    unfinishedAppend.size());
            dropUnfinishedAppend();
        }
        return new Result(lastGood, live, dead);
    }

    private void finishAppend(LogReader.Excerpt last) {
        if (last.record().batchCount() != unfinishedAppend.size()) {
            startDeadRegion(last, "the end of an append of " + last.record().batchCount() + " records after "
                    + (unfinishedAppend.size() - 1));
            return;
        }
        for (LogReader.Excerpt excerpt : unfinishedAppend) {
            index.add(excerpt.record().offset(), excerpt.queueIndex());
            state.apply(excerpt.record());
            lastGood = excerpt.record().offset();
            live++;
        }
        unfinishedAppend.clear();
    }

    private void startDeadRegion(LogReader.Excerpt excerpt, String why) {
        LOG.warn("log record at queue index {} after offset {} is {}: cutting the log back to offset {}",
                Long.toHexString(excerpt.queueIndex()), lastGood, why, lastGood);
        dropUnfinishedAppend();
        inDeadRegion = true;
        dead++;
    }

    private void dropUnfinishedAppend() {
        dead += unfinishedAppend.size();
        unfinishedAppend.clear();
    }

    /** Offsets start at 1, like Raft indexes, so a single node's log can later become a Raft log unchanged. */
    public static long nextOffsetAfter(long offset) {
        return offset < 1 ? 1 : offset + 1;
    }
}

package io.eventlog.server.subscribe;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.LogReader.Verdict;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;

/**
 * The global log from an offset on. It reads the queue in order and serves a record only if the
 * offset index says it is live (a corrupt tail cut back at start-up leaves dead records behind, at
 * any offset); it waits at a live record that is not committed yet.
 */
public final class LogEntrySource extends ReaderBackedSource {
    private final OffsetIndex index;
    private long nextOffset;
    private boolean positioned;

    public LogEntrySource(LogReader reader, OffsetIndex index, long fromOffset) {
        super(reader);
        this.index = index;
        this.nextOffset = fromOffset;
    }

    @Override
    public StoredRecord next(long committedOffset) {
        if (!positioned) {
            position();
        } else {
            ExpiredOffsets.requireHeld(index, nextOffset); // retention may have deleted the file it reads
        }
        LogReader.Excerpt excerpt = reader.next(candidate -> judge(candidate, committedOffset));
        if (excerpt == null) {
            return null;
        }
        nextOffset = excerpt.record().offset() + 1;
        return excerpt.record();
    }

    @Override
    public void requireNextHeld() {
        if (positioned) {
            ExpiredOffsets.requireHeld(index, nextOffset);
        }
    }

    private Verdict judge(LogReader.Excerpt excerpt, long committedOffset) {
        if (excerpt.isCorrupt() || excerpt.record().kind() != RecordKind.EVENT) {
            return Verdict.SKIP;
        }
        if (excerpt.queueIndex() > index.lastQueueIndex()) {
            // Written but not yet indexed by the writer, so not committed either.
            return Verdict.WAIT;
        }
        long offset = excerpt.record().offset();
        if (index.queueIndexOf(offset) != excerpt.queueIndex()) {
            return Verdict.SKIP;
        }
        if (offset > committedOffset) {
            return Verdict.WAIT;
        }
        return offset < nextOffset ? Verdict.SKIP : Verdict.SERVE;
    }

    /**
     * Starts at the first live offset ≥ the wanted one, or at the last entry when none is written yet;
     * fails with {@code offset_expired} when the wanted one is no longer held.
     */
    private void position() {
        ExpiredOffsets.requireHeld(index, nextOffset);
        long last = index.lastOffset();
        if (last < 0) {
            reader.toStart();
        } else {
            long live = index.firstLiveAtOrAfter(nextOffset);
            reader.moveTo(index.queueIndexOf(live >= 0 ? live : last));
        }
        positioned = true;
    }
}

package io.eventlog.server.subscribe;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;

/**
 * The global log from an offset on. It reads the queue in order and serves a record only if the
 * offset index says it is live (a corrupt tail cut back at start-up leaves dead records behind).
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
        }
        LogReader.Excerpt excerpt;
        while ((excerpt = reader.next(committedOffset)) != null) {
            StoredRecord record = excerpt.record();
            if (excerpt.isCorrupt() || record.kind() != RecordKind.EVENT || record.offset() < nextOffset
                    || index.queueIndexOf(record.offset()) != excerpt.queueIndex()) {
                continue;
            }
            nextOffset = record.offset() + 1;
            return record;
        }
        return null;
    }

    /** Starts at the first live offset ≥ the wanted one, or at the last entry when none is written yet. */
    private void position() {
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

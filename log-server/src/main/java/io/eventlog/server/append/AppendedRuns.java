package io.eventlog.server.append;

import io.eventlog.server.storage.OffsetIndex;

/**
 * Gathers where one append's records were written and adds them to the offset index as runs, once the
 * append is written, instead of one index update per record: records at consecutive offsets and queue
 * indexes form one run; a queue roll in the middle of the append starts another. Used by the writer
 * thread only; readers look offsets up only once the group is committed, after {@link #flush()}.
 */
final class AppendedRuns {
    private final OffsetIndex offsets;
    private long firstOffset;
    private long firstQueueIndex;
    private long lastOffset = -1;

    AppendedRuns(OffsetIndex offsets) {
        this.offsets = offsets;
    }

    /** The record of {@code offset} was written at {@code queueIndex}; offsets come in increasing order. */
    void written(long offset, long queueIndex) {
        if (lastOffset >= 0 && offset == lastOffset + 1 && queueIndex == firstQueueIndex + (offset - firstOffset)) {
            lastOffset = offset;
            return;
        }
        flush();
        firstOffset = offset;
        firstQueueIndex = queueIndex;
        lastOffset = offset;
    }

    /** Adds the run gathered so far, if any, to the offset index. */
    void flush() {
        if (lastOffset >= 0) {
            offsets.addRun(new OffsetIndex.Run(firstOffset, firstQueueIndex, lastOffset));
            lastOffset = -1;
        }
    }
}

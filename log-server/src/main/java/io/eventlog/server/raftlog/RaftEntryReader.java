package io.eventlog.server.raftlog;

import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads live entries back from the queue with one tailer, found through the {@link RaftLogIndex}. The
 * tailer is moved (20–30 µs) only when it is not already where the next entry is: entries of a run
 * follow each other in the queue.
 */
final class RaftEntryReader implements AutoCloseable {
    private final ThreadConfined<LogReader> reader;
    /** The entry read past the last call's byte limit, and its queue index: the next call usually starts there. */
    private Entry lookahead;
    private long lookaheadQueueIndex = -1;

    RaftEntryReader(ChronicleLog log) {
        this.reader = new ThreadConfined<>(log::createReader);
    }

    /**
     * Entries {@code from} (inclusive) to {@code to} (exclusive), all live in {@code index}, stopping
     * before the one that would take the total {@link Entry#sizeInBytes()} past {@code maxBytes}, but
     * at least one.
     */
    List<Entry> read(RaftLogIndex index, long from, long to, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < to; i++) {
            long queueIndex = index.queueIndexOf(i);
            Entry entry = read(i, queueIndex);
            if (!out.isEmpty() && bytes + entry.sizeInBytes() > maxBytes) {
                lookahead = entry;
                lookaheadQueueIndex = queueIndex;
                break;
            }
            bytes += entry.sizeInBytes();
            out.add(entry);
        }
        return out;
    }

    private Entry read(long index, long queueIndex) {
        // A queue index is never reused, so the same queue index means the same record.
        if (queueIndex == lookaheadQueueIndex) {
            lookaheadQueueIndex = -1;
            return lookahead;
        }
        LogReader tailer = reader.get();
        tailer.moveTo(queueIndex);
        LogReader.FrameExcerpt excerpt = tailer.nextFrame();
        RecordFrame frame = excerpt == null ? null : excerpt.frame();
        EntryKind kind = frame == null ? null : EntryKinds.entryKindOf(frame.kind());
        if (kind == null || frame.offset() != index) {
            throw new IllegalStateException("entry " + index + " should be at queue index "
                    + Long.toHexString(queueIndex) + " but the log has " + describe(excerpt));
        }
        return new Entry(index, frame.term(), kind, frame.payload());
    }

    private static String describe(LogReader.FrameExcerpt excerpt) {
        if (excerpt == null) {
            return "nothing";
        }
        return excerpt.isCorrupt() ? "a corrupt record (" + excerpt.corruption() + ")"
                : "a " + excerpt.frame().kind() + " record of index " + excerpt.frame().offset();
    }

    @Override
    public void close() {
        reader.close();
    }
}

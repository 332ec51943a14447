package io.eventlog.server.raftlog;

import io.eventlog.replication.Entry;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogAppender;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.RecordKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a Raft log's records: an entry as {@code format, kind, term, index, payload, crc}, so a
 * NORMAL entry's payload (an event payload the leader encoded) is stored byte for byte; and
 * TRUNCATE markers. Never syncs on its own.
 */
final class RaftRecordWriter implements AutoCloseable {
    private final ThreadConfined<LogAppender> appender;
    private ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    RaftRecordWriter(ChronicleLog log) {
        this.appender = new ThreadConfined<>(log::createAppender);
    }

    /** Appends the entry's record and returns its queue index. */
    long append(Entry entry) {
        return write(EntryKinds.recordKindOf(entry.kind()), entry.term(), entry.index(), entry.payload());
    }

    /** Appends a marker that kills every entry from {@code firstDead} on; returns its queue index. */
    long appendTruncate(long firstDead, byte[] payload) {
        return write(RecordKind.TRUNCATE, 0, firstDead, payload);
    }

    /** Makes everything written so far durable (msync), when the queue was opened for it. */
    void sync() {
        appender.get().sync();
    }

    private long write(RecordKind kind, long term, long index, byte[] payload) {
        int length = RecordCodec.recordLengthForPayload(payload.length);
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocate(Math.max(length, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear();
        RecordCodec.encodeRecord(buffer, kind, term, index, payload);
        return appender.get().append(buffer, length);
    }

    @Override
    public void close() {
        appender.close();
    }
}

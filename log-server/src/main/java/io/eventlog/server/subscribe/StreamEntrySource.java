package io.eventlog.server.subscribe;

import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.StreamIndex;
import io.eventlog.server.streams.StreamRegistry;

/** One stream from a version on: each version is looked up in the stream's index, never scanned for. */
public final class StreamEntrySource extends ReaderBackedSource {
    private final OffsetIndex offsets;
    private final StreamRegistry streams;
    private final String stream;
    private long nextVersion;

    public StreamEntrySource(LogReader reader, OffsetIndex offsets, StreamRegistry streams, String stream,
                             long fromVersion) {
        super(reader);
        this.offsets = offsets;
        this.streams = streams;
        this.stream = stream;
        this.nextVersion = fromVersion;
    }

    @Override
    public void requireNextHeld() {
        StreamIndex index = streams.get(stream);
        if (index != null && nextVersion < index.size()) {
            ExpiredOffsets.requireHeld(offsets, index.offsetOf(nextVersion));
        }
    }

    @Override
    public StoredRecord next(long committedOffset) {
        StreamIndex index = streams.get(stream);
        if (index == null || nextVersion >= index.size()) {
            return null;
        }
        long offset = index.offsetOf(nextVersion);
        if (offset > committedOffset) {
            return null;
        }
        ExpiredOffsets.requireHeld(offsets, offset);
        reader.moveTo(offsets.queueIndexOf(offset));
        LogReader.Excerpt excerpt = reader.next(LogReader.EVERYTHING);
        if (excerpt == null || excerpt.isCorrupt() || excerpt.record().kind() != RecordKind.EVENT
                || excerpt.record().offset() != offset) {
            throw new IllegalStateException("stream " + stream + " version " + nextVersion + " should be at offset "
                    + offset + " but the log has " + excerpt);
        }
        nextVersion++;
        return excerpt.record();
    }
}

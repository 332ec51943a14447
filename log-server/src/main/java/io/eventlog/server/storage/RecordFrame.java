package io.eventlog.server.storage;

/**
 * A checked record with its payload left unparsed: what a Raft log needs to hand an entry back
 * byte for byte ({@link RecordCodec#decodeFrame}).
 *
 * @param offset  the event's offset, which is also the Raft index (for TRUNCATE: the first dead index)
 * @param payload every byte between the fixed header and the checksum
 */
public record RecordFrame(RecordKind kind, long term, long offset, byte[] payload) {
}

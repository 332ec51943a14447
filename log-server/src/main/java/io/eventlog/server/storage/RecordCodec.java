package io.eventlog.server.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary layout of one stored record, little-endian:
 * <pre>
 * header  format:u8 kind:u8 term:i64 offset:i64
 * payload EVENT, RESUME: timestamp:i64 version:i64 batchCount:i32 key body (the event payload)
 *         NOOP: empty | CONFIG: the configuration's bytes | TRUNCATE: empty, or tornFrom:i64 (see RecordKind)
 * crc     crc32c:i32 over every byte before it
 *
 * key     len:i16 (-1 = none) utf8
 * body    stream: len:i16 utf8 | type: len:i16 (-1 = none) utf8
 *         | headers: count:i16 { name: len:i16 utf8, value: len:i32 utf8 } | data: len:i32 bytes
 * </pre>
 * The body is encoded by the appending thread ({@link #encodeBody}); the writer thread adds the
 * header, the rest of the payload and the checksum, so the single writer does as little work as
 * possible. In a Raft log the leader encodes the whole event payload ({@link #encodeEventPayload}),
 * which is a NORMAL entry's payload, and every replica stores it unchanged after its own header.
 */
public final class RecordCodec {
    static final byte FORMAT = 1;
    static final int HEADER_LENGTH = 1 + 1 + 8 + 8;
    private static final int EVENT_FIXED_LENGTH = 8 + 8 + 4;
    private static final int CRC_LENGTH = 4;
    private static final byte[][] NO_HEADERS = new byte[0][];

    private RecordCodec() {
    }

    /** Encodes the part of an event record that does not depend on its position in the log. */
    public static byte[] encodeBody(String stream, String type, Map<String, String> headers, byte[] data) {
        return encodeBody(utf8(stream), type, headers, data);
    }

    /**
     * Like {@link #encodeBody(String, String, Map, byte[])}, with the stream's name already in UTF-8: an
     * append encodes it once for all its events.
     */
    public static byte[] encodeBody(byte[] streamBytes, String type, Map<String, String> headers, byte[] data) {
        byte[] typeBytes = type == null ? null : utf8(type);
        int size = 2 + streamBytes.length + 2 + (typeBytes == null ? 0 : typeBytes.length) + 2 + 4 + data.length;
        byte[][] headerBytes = headers.isEmpty() ? NO_HEADERS : new byte[headers.size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            headerBytes[i] = utf8(header.getKey());
            headerBytes[i + 1] = utf8(header.getValue());
            size += 2 + headerBytes[i].length + 4 + headerBytes[i + 1].length;
            i += 2;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        putShortString(out, streamBytes);
        putShortString(out, typeBytes);
        out.putShort((short) headers.size());
        for (int h = 0; h < headerBytes.length; h += 2) {
            putShortString(out, headerBytes[h]);
            out.putInt(headerBytes[h + 1].length).put(headerBytes[h + 1]);
        }
        out.putInt(data.length).put(data);
        return out.array();
    }

    /** Bytes a whole event record of this body and key takes. */
    public static int recordLength(byte[] body, byte[] key) {
        return HEADER_LENGTH + eventPayloadLength(body, key) + CRC_LENGTH;
    }

    /** Bytes a whole record around a payload of {@code payloadLength} bytes takes. */
    public static int recordLengthForPayload(int payloadLength) {
        return HEADER_LENGTH + payloadLength + CRC_LENGTH;
    }

    /**
     * Writes a whole event record into {@code out} (little-endian, with room for {@link #recordLength})
     * and returns its length.
     */
    public static int encodeRecord(ByteBuffer out, RecordKind kind, long term, long offset, long timestamp,
                                   long version, int batchCount, byte[] key, byte[] body) {
        int start = out.position();
        putHeader(out, kind, term, offset);
        putEventPayload(out, timestamp, version, batchCount, key, body);
        return putChecksum(out, start);
    }

    /**
     * Writes a whole record around an already encoded payload into {@code out} (little-endian, with room
     * for {@link #recordLengthForPayload}) and returns its length.
     */
    public static int encodeRecord(ByteBuffer out, RecordKind kind, long term, long offset, byte[] payload) {
        int start = out.position();
        putHeader(out, kind, term, offset);
        out.put(payload);
        return putChecksum(out, start);
    }

    /**
     * The payload of an EVENT record: everything after the header's offset field and before the
     * checksum. A Raft leader proposes it as a NORMAL entry's payload.
     */
    public static byte[] encodeEventPayload(long timestamp, long version, int batchCount, byte[] key, byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(eventPayloadLength(body, key)).order(ByteOrder.LITTLE_ENDIAN);
        putEventPayload(out, timestamp, version, batchCount, key, body);
        return out.array();
    }

    public static byte[] encode(StoredRecord record) {
        byte[] body = encodeBody(record.stream(), record.type(), record.headers(), record.data());
        byte[] key = record.idempotencyKey() == null ? null : utf8(record.idempotencyKey());
        ByteBuffer out = ByteBuffer.allocate(recordLength(body, key)).order(ByteOrder.LITTLE_ENDIAN);
        encodeRecord(out, record.kind(), record.term(), record.offset(), record.timestamp(), record.version(),
                record.batchCount(), key, body);
        return out.array();
    }

    /** Parses and checks a record; a bad checksum, format or shape is a {@link CorruptRecordException}. */
    public static StoredRecord decode(byte[] bytes, int length) throws CorruptRecordException {
        ByteBuffer in = checked(bytes, length);
        RecordFrame header = readHeader(in, null); // the payload is parsed in place, not copied
        return decodePayload(header.kind(), header.term(), header.offset(), in);
    }

    /** Checks a record and returns its header fields and its payload's bytes, unparsed. */
    public static RecordFrame decodeFrame(byte[] bytes, int length) throws CorruptRecordException {
        ByteBuffer in = checked(bytes, length);
        return readHeader(in, Arrays.copyOfRange(bytes, HEADER_LENGTH, length - CRC_LENGTH));
    }

    /**
     * The event an EVENT payload describes, given the term and offset (Raft index) its record's header
     * would carry: how a Raft driver applies a committed NORMAL entry without building a record.
     */
    public static StoredRecord decodeEventPayload(long term, long offset, byte[] payload)
            throws CorruptRecordException {
        return decodePayload(RecordKind.EVENT, term, offset, ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The record's bytes before the checksum, once the checksum matched. */
    private static ByteBuffer checked(byte[] bytes, int length) throws CorruptRecordException {
        if (length < HEADER_LENGTH + CRC_LENGTH) {
            throw new CorruptRecordException("record of " + length + " bytes is shorter than the smallest record");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - CRC_LENGTH);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(length - CRC_LENGTH) != (int) crc.getValue()) {
            throw new CorruptRecordException("checksum mismatch");
        }
        return in.limit(length - CRC_LENGTH);
    }

    private static RecordFrame readHeader(ByteBuffer in, byte[] payload) throws CorruptRecordException {
        byte format = in.get();
        RecordKind kind = RecordKind.fromCode(in.get());
        if (format != FORMAT || kind == null) {
            throw new CorruptRecordException("unknown record format " + format);
        }
        return new RecordFrame(kind, in.getLong(), in.getLong(), payload);
    }

    private static StoredRecord decodePayload(RecordKind kind, long term, long offset, ByteBuffer in)
            throws CorruptRecordException {
        if (!kind.hasEventPayload()) {
            byte[] payload = new byte[in.remaining()];
            in.get(payload);
            return StoredRecord.marker(kind, term, offset, payload);
        }
        try {
            long timestamp = in.getLong();
            long version = in.getLong();
            int batchCount = in.getInt();
            String key = getShortString(in);
            String stream = getShortString(in);
            String type = getShortString(in);
            int headerCount = in.getShort();
            Map<String, String> headers = headerCount == 0 ? Map.of() : new LinkedHashMap<>();
            for (int i = 0; i < headerCount; i++) {
                String name = getShortString(in);
                headers.put(name, new String(getBytes(in, in.getInt()), StandardCharsets.UTF_8));
            }
            byte[] data = getBytes(in, in.getInt());
            if (in.hasRemaining()) {
                throw new CorruptRecordException("record has " + in.remaining() + " stray bytes");
            }
            return new StoredRecord(kind, term, offset, timestamp, stream, version, type, headers, data, key, batchCount);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptRecordException("record does not parse: " + e);
        }
    }

    private static int eventPayloadLength(byte[] body, byte[] key) {
        return EVENT_FIXED_LENGTH + 2 + (key == null ? 0 : key.length) + body.length;
    }

    private static void putHeader(ByteBuffer out, RecordKind kind, long term, long offset) {
        out.put(FORMAT).put(kind.code()).putLong(term).putLong(offset);
    }

    private static void putEventPayload(ByteBuffer out, long timestamp, long version, int batchCount, byte[] key,
                                        byte[] body) {
        out.putLong(timestamp).putLong(version).putInt(batchCount);
        putShortString(out, key);
        out.put(body);
    }

    /** Appends the checksum of everything written since {@code start}; returns the record's whole length. */
    private static int putChecksum(ByteBuffer out, int start) {
        int length = out.position() - start;
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start, length);
        out.putInt((int) crc.getValue());
        return length + CRC_LENGTH;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putShortString(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putShort((short) -1);
        } else {
            out.putShort((short) bytes.length).put(bytes);
        }
    }

    private static String getShortString(ByteBuffer in) {
        int length = in.getShort();
        return length < 0 ? null : new String(getBytes(in, length), StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " past the record's end");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}

package io.eventlog.server.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary layout of one stored record, little-endian:
 * <pre>
 * fixed   format:u8 kind:u8 term:i64 offset:i64 timestamp:i64 version:i64 batchCount:i32
 * key     len:i16 (-1 = none) utf8
 * body    stream: len:i16 utf8 | type: len:i16 (-1 = none) utf8
 *         | headers: count:i16 { name: len:i16 utf8, value: len:i32 utf8 } | data: len:i32 bytes
 * crc     crc32c:i32 over every byte before it
 * </pre>
 * The body is encoded by the appending thread ({@link #encodeBody}); the writer thread adds the
 * fixed part, the key and the checksum, so the single writer does as little work as possible.
 */
public final class RecordCodec {
    static final byte FORMAT = 1;
    static final int FIXED_LENGTH = 1 + 1 + 8 + 8 + 8 + 8 + 4;
    private static final int CRC_LENGTH = 4;

    private RecordCodec() {
    }

    /** Encodes the part of an event record that does not depend on its position in the log. */
    public static byte[] encodeBody(String stream, String type, Map<String, String> headers, byte[] data) {
        byte[] streamBytes = utf8(stream);
        byte[] typeBytes = type == null ? null : utf8(type);
        int size = 2 + streamBytes.length + 2 + (typeBytes == null ? 0 : typeBytes.length) + 2 + 4 + data.length;
        byte[][] headerBytes = new byte[headers.size() * 2][];
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

    /** Bytes a whole record of this body and key takes. */
    public static int recordLength(byte[] body, byte[] key) {
        return FIXED_LENGTH + 2 + (key == null ? 0 : key.length) + body.length + CRC_LENGTH;
    }

    /**
     * Writes a whole record into {@code out} (little-endian, with room for {@link #recordLength}) and
     * returns its length.
     */
    public static int encodeRecord(ByteBuffer out, RecordKind kind, long term, long offset, long timestamp,
                                   long version, int batchCount, byte[] key, byte[] body) {
        int start = out.position();
        out.put(FORMAT).put(kind.code()).putLong(term).putLong(offset).putLong(timestamp).putLong(version)
                .putInt(batchCount);
        putShortString(out, key);
        out.put(body);
        int length = out.position() - start;
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start, length);
        out.putInt((int) crc.getValue());
        return length + CRC_LENGTH;
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
        if (length < FIXED_LENGTH + 2 + CRC_LENGTH) {
            throw new CorruptRecordException("record of " + length + " bytes is shorter than the smallest record");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - CRC_LENGTH);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(length - CRC_LENGTH) != (int) crc.getValue()) {
            throw new CorruptRecordException("checksum mismatch");
        }
        try {
            byte format = in.get();
            RecordKind kind = RecordKind.fromCode(in.get());
            if (format != FORMAT || kind == null) {
                throw new CorruptRecordException("unknown record format " + format);
            }
            long term = in.getLong();
            long offset = in.getLong();
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
            if (in.position() != length - CRC_LENGTH) {
                throw new CorruptRecordException("record has " + (length - CRC_LENGTH - in.position()) + " stray bytes");
            }
            return new StoredRecord(kind, term, offset, timestamp, stream, version, type, headers, data, key, batchCount);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptRecordException("record does not parse: " + e);
        }
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

package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static StoredRecord event(String key, int batchCount) {
        return new StoredRecord(RecordKind.EVENT, 3, 42, 1_763_800_000_000L, "orders-17", 7, "OrderPlaced",
                Map.of("k", "v", "trace-id", "ä€"), "{\"total\":42}".getBytes(StandardCharsets.UTF_8), key, batchCount);
    }

    @Test
    void anEventSurvivesEncodingAndDecoding() throws Exception {
        byte[] bytes = RecordCodec.encode(event("key-1", 2));
        assertSameEvent(event("key-1", 2), RecordCodec.decode(bytes, bytes.length));
    }

    private static void assertSameEvent(StoredRecord expected, StoredRecord actual) {
        assertEquals(expected.kind(), actual.kind());
        assertEquals(expected.toEntry(), actual.toEntry());
        assertEquals(expected.idempotencyKey(), actual.idempotencyKey());
        assertEquals(expected.batchCount(), actual.batchCount());
        assertEquals(expected.term(), actual.term());
    }

    @Test
    void absentTypeAndKeyStayAbsent() throws Exception {
        StoredRecord plain = new StoredRecord(RecordKind.EVENT, 0, 1, 5, "s", 0, null, Map.of(), "1".getBytes(),
                null, 0);
        byte[] bytes = RecordCodec.encode(plain);
        StoredRecord decoded = RecordCodec.decode(bytes, bytes.length);
        assertNull(decoded.type());
        assertNull(decoded.idempotencyKey());
        assertEquals(Map.of(), decoded.headers());
        assertArrayEquals("1".getBytes(), decoded.data());
    }

    @Test
    void aBodyEncodedWithTheStreamAlreadyInUtf8IsTheSameBytes() {
        byte[] data = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] stream = "ord\u00e9rs-17".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(RecordCodec.encodeBody("ord\u00e9rs-17", null, Map.of(), data),
                RecordCodec.encodeBody(stream, null, Map.of(), data));
        assertArrayEquals(RecordCodec.encodeBody("ord\u00e9rs-17", "Placed", Map.of("h", "\u00fc"), data),
                RecordCodec.encodeBody(stream, "Placed", Map.of("h", "\u00fc"), data));
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] bytes = RecordCodec.encode(event(null, 0));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(flipped, flipped.length),
                    "bit " + bit);
        }
    }

    @Test
    void aTornRecordIsDetected() {
        byte[] bytes = RecordCodec.encode(event(null, 0));
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void anEventPayloadInARecordIsTheEventRecordByteForByte() throws Exception {
        byte[] body = RecordCodec.encodeBody("orders-17", "OrderPlaced", Map.of("k", "v"), "{}".getBytes());
        byte[] key = "key-1".getBytes(StandardCharsets.UTF_8);
        ByteBuffer whole = ByteBuffer.allocate(RecordCodec.recordLength(body, key)).order(ByteOrder.LITTLE_ENDIAN);
        int wholeLength = RecordCodec.encodeRecord(whole, RecordKind.EVENT, 3, 42, 1_000, 7, 2, key, body);

        byte[] payload = RecordCodec.encodeEventPayload(1_000, 7, 2, key, body);
        ByteBuffer framed = ByteBuffer.allocate(RecordCodec.recordLengthForPayload(payload.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        int framedLength = RecordCodec.encodeRecord(framed, RecordKind.EVENT, 3, 42, payload);

        assertEquals(wholeLength, framedLength);
        assertArrayEquals(whole.array(), framed.array());
        RecordFrame frame = RecordCodec.decodeFrame(framed.array(), framedLength);
        assertEquals(RecordKind.EVENT, frame.kind());
        assertEquals(3, frame.term());
        assertEquals(42, frame.offset());
        assertArrayEquals(payload, frame.payload());
        assertSameEvent(RecordCodec.decode(framed.array(), framedLength),
                RecordCodec.decodeEventPayload(3, 42, payload));
    }

    @Test
    void recordsOfEveryOtherKindDecodeWithTheirPayloadAsData() throws Exception {
        for (RecordKind kind : new RecordKind[] {RecordKind.NOOP, RecordKind.CONFIG, RecordKind.TRUNCATE}) {
            byte[] payload = kind == RecordKind.NOOP ? new byte[0] : new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
            ByteBuffer out = ByteBuffer.allocate(RecordCodec.recordLengthForPayload(payload.length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int length = RecordCodec.encodeRecord(out, kind, 5, 9, payload);
            StoredRecord decoded = RecordCodec.decode(out.array(), length);
            assertEquals(kind, decoded.kind());
            assertEquals(5, decoded.term());
            assertEquals(9, decoded.offset());
            assertEquals("", decoded.stream());
            assertArrayEquals(payload, decoded.data());
            for (int bit = 0; bit < length * 8; bit++) {
                byte[] flipped = out.array().clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeFrame(flipped, flipped.length),
                        kind + " bit " + bit);
            }
        }
    }

    @Test
    void aPayloadThatIsNoEventIsCorrupt() {
        assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeEventPayload(1, 1, new byte[] {1, 2, 3}));
        byte[] payload = RecordCodec.encodeEventPayload(1, 0, 1, null, RecordCodec.encodeBody("s", null, Map.of(),
                new byte[] {1}));
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeEventPayload(1, 1, longer));
    }
}

package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
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
        StoredRecord decoded = RecordCodec.decode(bytes, bytes.length);
        StoredRecord original = event("key-1", 2);
        assertEquals(original.toEntry(), decoded.toEntry());
        assertEquals("key-1", decoded.idempotencyKey());
        assertEquals(2, decoded.batchCount());
        assertEquals(3, decoded.term());
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
}

package io.eventlog.server.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamIndexTest {

    @Test
    void versionsMapToTheirOffsetsAcrossChunkBoundaries() {
        StreamIndex index = new StreamIndex();
        assertEquals(-1, index.lastVersion());
        int versions = 3 * 8192 + 5;
        for (int v = 0; v < versions; v++) {
            index.append(10L + 3L * v);
        }
        assertEquals(versions - 1, index.lastVersion());
        for (int v : new int[] {0, 3, 4, 8191, 8192, 8193, 16384, versions - 1}) {
            assertEquals(10L + 3L * v, index.offsetOf(v), "version " + v);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> index.offsetOf(versions));
    }

    @Test
    void aRangeOfConsecutiveOffsetsFillsTheNextVersionsAcrossChunks() {
        StreamIndex index = new StreamIndex();
        index.append(1);
        index.appendRange(5, 3);
        index.appendRange(100, 2 * 8192);

        assertEquals(3 + 2 * 8192, index.lastVersion());
        assertEquals(1, index.offsetOf(0));
        assertEquals(5, index.offsetOf(1));
        assertEquals(7, index.offsetOf(3));
        assertEquals(100, index.offsetOf(4));
        assertEquals(100 + 8191, index.offsetOf(8195));
        assertEquals(100 + 2 * 8192 - 1, index.offsetOf(index.lastVersion()));
    }

    @Test
    void countAtOrBelowFindsHowManyVersionsAreCommitted() {
        StreamIndex index = new StreamIndex();
        for (int v = 0; v < 20_000; v++) {
            index.append(2L * v + 1);
        }
        assertEquals(0, index.countAtOrBelow(0));
        assertEquals(1, index.countAtOrBelow(1));
        assertEquals(1, index.countAtOrBelow(2));
        assertEquals(10_000, index.countAtOrBelow(19_999));
        assertEquals(20_000, index.countAtOrBelow(Long.MAX_VALUE));
    }

    @Test
    void aSnapshotKeepsItsVersionsWhileTheStreamGrows() {
        StreamIndex index = new StreamIndex();
        for (int v = 0; v < 3; v++) {
            index.append(v + 1);
        }
        StreamSnapshot small = index.snapshot("s");
        for (int v = 3; v < 8192 + 10; v++) {
            index.append(v + 1); // the first chunk is replaced by bigger copies, then a second one starts
        }
        StreamSnapshot big = index.snapshot("s");
        for (int v = 8192 + 10; v < 20_000; v++) {
            index.append(v + 1);
        }

        assertEquals(3, small.versions());
        assertEquals(8192 + 10, big.versions());
        for (int v = 0; v < big.versions(); v++) {
            assertEquals(v + 1, big.offsetOf(v));
            if (v < small.versions()) {
                assertEquals(v + 1, small.offsetOf(v));
            }
        }
    }
}

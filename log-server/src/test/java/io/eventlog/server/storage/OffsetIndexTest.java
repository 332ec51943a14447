package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OffsetIndexTest {

    @Test
    void consecutiveOffsetsAtConsecutiveIndexesShareOneSegment() {
        OffsetIndex index = new OffsetIndex();
        for (long offset = 1; offset <= 1_000_000; offset++) {
            index.add(offset, 100 + offset);
        }
        assertEquals(1, index.segmentCount());
        assertEquals(100 + 500_000, index.queueIndexOf(500_000));
        assertEquals(1_000_000, index.lastOffset());
    }

    @Test
    void aGapInQueueIndexesStartsASegmentAndSkippedRecordsAreNotLive() {
        OffsetIndex index = new OffsetIndex();
        index.add(1, 10);
        index.add(2, 11);
        // queue indexes 12..14 hold a cut-back tail; offset 3 was written again at 15
        index.add(3, 15);
        assertEquals(2, index.segmentCount());
        assertEquals(11, index.queueIndexOf(2));
        assertEquals(15, index.queueIndexOf(3));
        assertEquals(-1, index.queueIndexOf(4));
        assertEquals(-1, index.queueIndexOf(0));
    }

    @Test
    void firstLiveAtOrAfterSkipsGapsInOffsets() {
        OffsetIndex index = new OffsetIndex();
        assertEquals(-1, index.firstLiveAtOrAfter(0));
        index.add(5, 1);
        index.add(9, 2);
        assertEquals(5, index.firstLiveAtOrAfter(0));
        assertEquals(9, index.firstLiveAtOrAfter(6));
        assertEquals(-1, index.firstLiveAtOrAfter(10));
    }

    @Test
    void offsetsMustGrow() {
        OffsetIndex index = new OffsetIndex();
        index.add(5, 1);
        assertThrows(IllegalStateException.class, () -> index.add(5, 2));
    }
}

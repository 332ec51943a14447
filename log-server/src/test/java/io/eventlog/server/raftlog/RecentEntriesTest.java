package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEntriesTest {

    private static Entry entry(long index, long term, int payloadBytes) {
        return new Entry(index, term, EntryKind.NORMAL, new byte[payloadBytes]);
    }

    private static List<Long> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }

    @Test
    void givesBackWhatWasWrittenWithinTheWindowOnly() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        for (long i = 5; i <= 9; i++) {
            recent.written(entry(i, 1, 10));
        }
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), indexes(recent.read(5, 10, Long.MAX_VALUE)));
        assertEquals(List.of(7L, 8L), indexes(recent.read(7, 9, Long.MAX_VALUE)));
        assertNull(recent.read(4, 10, Long.MAX_VALUE), "starts before the window");
        assertNull(recent.read(6, 11, Long.MAX_VALUE), "ends after the window");
    }

    @Test
    void stopsBeforeTheEntryThatPassesMaxBytesButGivesAtLeastOne() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        for (long i = 1; i <= 4; i++) {
            recent.written(entry(i, 1, 100));
        }
        long size = entry(1, 1, 100).sizeInBytes();
        assertEquals(List.of(1L, 2L), indexes(recent.read(1, 5, 2 * size + size / 2)));
        assertEquals(List.of(1L), indexes(recent.read(1, 5, 1)));
    }

    @Test
    void forgetsSupersededEntriesAndHoldsTheirReplacements() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        for (long i = 1; i <= 6; i++) {
            recent.written(entry(i, 1, 10));
        }
        recent.truncateFrom(4);
        assertNull(recent.read(4, 5, Long.MAX_VALUE));
        Entry replacement = entry(4, 2, 10);
        recent.written(replacement);
        assertSame(replacement, recent.read(4, 5, Long.MAX_VALUE).get(0));
        assertEquals(List.of(1L, 2L, 3L, 4L), indexes(recent.read(1, 5, Long.MAX_VALUE)));
    }

    @Test
    void keepsTheNewestWithinItsCountAndByteBudget() {
        RecentEntries byCount = new RecentEntries(4, 1 << 20);
        for (long i = 1; i <= 10; i++) {
            byCount.written(entry(i, 1, 10));
        }
        assertNull(byCount.read(6, 11, Long.MAX_VALUE));
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(byCount.read(7, 11, Long.MAX_VALUE)));

        long size = entry(1, 1, 1000).sizeInBytes();
        RecentEntries byBytes = new RecentEntries(64, 3 * size);
        for (long i = 1; i <= 10; i++) {
            byBytes.written(entry(i, 1, 1000));
        }
        assertNull(byBytes.read(7, 11, Long.MAX_VALUE));
        assertEquals(List.of(8L, 9L, 10L), indexes(byBytes.read(8, 11, Long.MAX_VALUE)));
    }

    @Test
    void anEntryNotRightAfterTheLastStartsTheWindowOver() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        recent.written(entry(1, 1, 10));
        recent.written(entry(2, 1, 10));
        recent.written(entry(100, 3, 10)); // a snapshot was installed: the log goes on at 100
        assertNull(recent.read(1, 3, Long.MAX_VALUE));
        assertEquals(List.of(100L), indexes(recent.read(100, 101, Long.MAX_VALUE)));
        recent.clear();
        assertNull(recent.read(100, 101, Long.MAX_VALUE));
    }
}

package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.server.recovery.QueueFiles;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.LogAppender;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.RecordFrame;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Raft log whose queue was damaged after a crash (torn or lost pages) is cut back at start-up to the
 * entry before the first damaged record: the dead records never come back, the start-up marker makes
 * later scans agree, and the next entry goes at the right index.
 */
class ChronicleRaftStorageTornTailTest {
    private static final int N = 30;
    private static final String STREAM = "s";
    private static final ClusterConfig MEMBERS = ClusterConfig.ofVoters(1, 2, 3);

    @TempDir
    Path dir;

    private final String nonce = Long.toHexString(System.nanoTime());

    /** How the queue is damaged, and the last entry that stays good. */
    enum Damage {
        /** One byte of the last entry's event data flipped (a torn page). */
        LAST_ENTRY_FLIPPED(N - 1, (t, data) -> {
            QueueFiles.Located r = t.locate(data, N, 1);
            QueueFiles.flipByte(r.file(), r.dataPosition() + 3);
        }),
        /** One byte of the last entry's checksum flipped. */
        LAST_CHECKSUM_FLIPPED(N - 1, (t, data) -> {
            QueueFiles.Located r = t.locate(data, N, 1);
            QueueFiles.flipByte(r.file(), r.dataPosition() + r.dataLength() + 2);
        }),
        /** The file cut in the middle of the last entry. */
        FILE_CUT_IN_LAST_ENTRY(N - 1, (t, data) -> {
            QueueFiles.Located r = t.locate(data, N, 1);
            QueueFiles.truncate(r.file(), r.dataPosition() + r.dataLength() / 2);
        }),
        /** The bytes of the last three entries zeroed, their excerpt headers kept (pages never written out). */
        LAST_THREE_ENTRIES_ZEROED(N - 3, (t, data) -> {
            for (int i = N - 2; i <= N; i++) {
                QueueFiles.Located r = t.locate(data, i, 1);
                QueueFiles.zero(r.file(), r.recordPosition(), r.recordPosition() + r.length());
            }
        }),
        /** An entry in the middle of the tail flipped, with good records after it. */
        MIDDLE_ENTRY_FLIPPED(N - 6, (t, data) -> {
            QueueFiles.Located r = t.locate(data, N - 5, 1);
            QueueFiles.flipByte(r.file(), r.dataPosition() + 5);
        });

        final int lastGood;
        final BiConsumer<ChronicleRaftStorageTornTailTest, Path> apply;

        Damage(int lastGood, BiConsumer<ChronicleRaftStorageTornTailTest, Path> apply) {
            this.lastGood = lastGood;
            this.apply = apply;
        }
    }

    private String data(long index, long term) {
        return "MARK-" + nonce + "-" + index + "-" + term;
    }

    private Entry entry(long index, long term) {
        return Entry.normal(index, term, OpenRaftLog.eventPayload(STREAM, index, data(index, term)));
    }

    private QueueFiles.Located locate(Path data, long index, long term) {
        return QueueFiles.locate(data, STREAM, data(index, term));
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedTailIsCutBackAndStaysCut(Damage damage) {
        Path data = dir.resolve("data");
        List<Entry> written = new ArrayList<>();
        for (long i = 1; i <= N; i++) {
            written.add(entry(i, 1));
        }
        try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
            raft.storage().append(written);
        }
        damage.apply.accept(this, data);

        List<Entry> expected = new ArrayList<>(written.subList(0, damage.lastGood));
        try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
            assertEquals(damage.lastGood, raft.storage().lastIndex());
            assertEquals(expected, all(raft.storage()));
            RecordFrame marker = lastRecord(raft.log());
            assertEquals(RecordKind.TRUNCATE, marker.kind());
            assertEquals(damage.lastGood + 1, marker.offset(), "the start-up marker names where the log goes on");
            assertEquals(8, marker.payload().length, "and the torn tail it closes");

            // New entries, past the indexes the dead records still carry.
            for (long i = damage.lastGood + 1; i <= N + 3; i++) {
                Entry next = entry(i, 2);
                raft.storage().append(List.of(next));
                expected.add(next);
            }
            assertEquals(expected, all(raft.storage()));
        }
        for (int reopen = 0; reopen < 2; reopen++) {
            try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
                assertEquals(expected, all(raft.storage()), "a later start-up sees the same log");
                assertEquals(1, raft.storage().term(damage.lastGood));
                assertEquals(2, raft.storage().term(N + 3));
            }
        }
    }

    /**
     * Records after the first damaged one are dead even if they look valid: here a TRUNCATE among them
     * names exactly the index after the last good entry, but trusting it would put entries 7 and 8 of
     * term 3 after entries 4 to 6 of term 1, which an earlier truncation (also in the torn tail) had
     * superseded: a log that never existed.
     */
    @Test
    void aTruncationInsideTheTornTailIsNotTrusted() {
        Path data = dir.resolve("data");
        try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
            for (long i = 1; i <= 10; i++) {
                raft.storage().append(List.of(entry(i, 1)));
            }
            raft.storage().supersedeFrom(4);
            for (long i = 4; i <= 8; i++) {
                raft.storage().append(List.of(entry(i, 2)));
            }
            raft.storage().supersedeFrom(7);
            raft.storage().append(List.of(entry(7, 3), entry(8, 3)));
        }
        QueueFiles.Located r = locate(data, 7, 1);
        QueueFiles.flipByte(r.file(), r.dataPosition() + 1);
        List<Entry> expected = new ArrayList<>();
        for (long i = 1; i <= 6; i++) {
            expected.add(entry(i, 1));
        }
        for (int reopen = 0; reopen < 2; reopen++) {
            try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
                assertEquals(expected, all(raft.storage()));
            }
        }
    }

    /**
     * Zeroed excerpt headers (lost pages) end what readers see, while Chronicle's appender would write
     * past them: entries appended then could never be read back. The storage refuses to open.
     */
    @Test
    void aHoleOfZeroedExcerptHeadersIsRefused() {
        Path data = dir.resolve("data");
        try (OpenRaftLog raft = OpenRaftLog.open(data, MEMBERS)) {
            for (long i = 1; i <= N; i++) {
                raft.storage().append(List.of(entry(i, 1)));
            }
        }
        QueueFiles.Located first = locate(data, N - 2, 1);
        QueueFiles.Located last = locate(data, N, 1);
        QueueFiles.zero(first.file(), first.headerPosition(), last.recordPosition() + last.length());
        Throwable refused = assertThrows(Throwable.class, () -> OpenRaftLog.open(data, MEMBERS).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("hole"), String.valueOf(refused));
    }

    /** A single node's log (entries of term 0, RESUME markers) is refused, not cut as a torn tail. */
    @Test
    void aSingleNodeLogIsRefused() {
        Path data = dir.resolve("data");
        try (ChronicleLog log = ChronicleLog.open(data, RollCycles.FAST_HOURLY, false);
             LogAppender appender = log.createAppender()) {
            appender.append(RecordCodec.encode(new StoredRecord(RecordKind.EVENT, 0, 1, 1, STREAM, 0, null, Map.of(),
                    new byte[] {1}, null, 1)));
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> OpenRaftLog.open(data, MEMBERS).close());
        assertTrue(refused.getMessage().contains("single node's log"), refused.getMessage());
    }

    private static List<Entry> all(ChronicleRaftStorage storage) {
        return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    }

    private static RecordFrame lastRecord(ChronicleLog log) {
        try (LogReader reader = log.createReader()) {
            RecordFrame last = null;
            LogReader.FrameExcerpt excerpt;
            while ((excerpt = reader.nextFrame()) != null) {
                last = excerpt.frame();
            }
            return last;
        }
    }
}

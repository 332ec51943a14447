package io.eventlog.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.testing.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A torn or corrupt tail, made by damaging the queue file of a closed node, is found at start-up and
 * cut back to the last good entry: the damaged record and everything after it is never served (by a
 * read of the log, of a stream, or a subscription), the last good entries are intact, the next append
 * gets the last good offset + 1 and its stream's next version, an Idempotency-Key of a cut-back record
 * is forgotten, and later restarts see the identical log (the RESUME marker written at the first
 * restart closes the dead region, and no second marker is written). Also with a child process that
 * is killed with SIGKILL during its first appends after the cut-back.
 */
class TornTailTest {
    private static final int N = 30;
    private static final String[] STREAMS = {"a", "b", "c"};
    /** The record N-3 carries an Idempotency-Key: live after most damages, cut back after MIDDLE_RECORD. */
    private static final int KEYED = N - 3;

    @TempDir
    Path dir;

    /** How the log is damaged, and the last good offset that must remain. */
    enum Damage {
        /** One byte of the last record's data flipped (a bad sector, a torn page). */
        LAST_RECORD_DATA_FLIPPED(N - 1, (t, d) -> {
            QueueFiles.Located r = t.locate(d, N);
            QueueFiles.flipByte(r.file(), r.dataPosition() + 3);
            return null;
        }),
        /** One byte of the last record's checksum flipped. */
        LAST_RECORD_CHECKSUM_FLIPPED(N - 1, (t, d) -> {
            QueueFiles.Located r = t.locate(d, N);
            QueueFiles.flipByte(r.file(), r.dataPosition() + r.dataLength() + 2);
            return null;
        }),
        /** The bytes of the last three records zeroed, their excerpt headers kept (pages never written out). */
        LAST_THREE_RECORDS_ZEROED(N - 3, (t, d) -> {
            for (int offset = N - 2; offset <= N; offset++) {
                QueueFiles.Located r = t.locate(d, offset);
                QueueFiles.zero(r.file(), r.recordPosition(), r.recordPosition() + r.length());
            }
            return null;
        }),
        /** The file cut in the middle of the last record's data. */
        TRUNCATED_IN_LAST_RECORD(N - 1, (t, d) -> {
            QueueFiles.Located r = t.locate(d, N);
            QueueFiles.truncate(r.file(), r.dataPosition() + r.dataLength() / 2);
            return null;
        }),
        /** One byte of a record in the middle of the tail flipped, with good records after it. */
        MIDDLE_RECORD_FLIPPED(N - 6, (t, d) -> {
            QueueFiles.Located r = t.locate(d, N - 5);
            QueueFiles.flipByte(r.file(), r.dataPosition() + 5);
            return null;
        });

        final int lastGood;
        final BiFunction<TornTailTest, Path, Void> apply;

        Damage(int lastGood, BiFunction<TornTailTest, Path, Void> apply) {
            this.lastGood = lastGood;
            this.apply = apply;
        }
    }

    private final String nonce = Long.toHexString(System.nanoTime());

    private String data(int offset) {
        return "{\"m\":\"MARK-" + nonce + "-" + offset + "\"}";
    }

    private QueueFiles.Located locate(Path data, int offset) {
        return QueueFiles.locate(data, STREAMS[offset % 3], data(offset));
    }

    /** Writes N entries, one append each, offset i to stream STREAMS[i % 3]; returns them as read back. */
    private List<Entry> writeLog(Path data) {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            for (int offset = 1; offset <= N; offset++) {
                AppendOptions options = offset == KEYED ? AppendOptions.DEFAULT.withIdempotencyKey("key")
                        : AppendOptions.DEFAULT;
                AppendResult r = node.append(STREAMS[offset % 3], EventData.json(data(offset)), options).block();
                assertEquals(offset, r.offset());
            }
            List<Entry> log = CrashVerifier.readLog(node);
            assertEquals(N, log.size());
            return log;
        } finally {
            // The close wrote a checkpoint that covers every entry. A torn tail only ever lies after the newest
            // checkpoint (a checkpoint syncs the log first): the damage stands for entries written after it.
            QueueFiles.deleteCheckpoints(data);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedTailIsCutBackToTheLastGoodEntry(Damage damage) {
        Path data = dir.resolve("data");
        List<Entry> written = writeLog(data);
        damage.apply.apply(this, data);
        List<Entry> good = written.subList(0, damage.lastGood);

        List<Entry> expected;
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            assertServesExactly(node, good);

            // The next append follows the last good entry, in offset and in its stream's versions.
            String stream = STREAMS[(damage.lastGood + 1) % 3];
            long versions = good.stream().filter(e -> e.stream().equals(stream)).count();
            AppendResult next = node.append(stream, EventData.json("{\"after\":1}")).block();
            assertEquals(new AppendResult(stream, damage.lastGood + 1, versions, damage.lastGood + 1, versions, 1),
                    next);

            // Go past the offsets that dead records still carry.
            for (int i = 0; i < N - damage.lastGood; i++) {
                assertEquals(damage.lastGood + 2 + i, node.append(stream, EventData.json("{\"more\":" + i + "}"))
                        .block().offset());
            }

            // A key stored in a cut-back record is forgotten; a key of a live record still deduplicates.
            String keyedStream = STREAMS[KEYED % 3];
            AppendResult retry = node.append(keyedStream, EventData.json(data(KEYED)),
                    AppendOptions.DEFAULT.withIdempotencyKey("key")).block();
            if (KEYED <= damage.lastGood) {
                assertEquals(KEYED, retry.offset(), "a live keyed append is a duplicate");
            } else {
                assertEquals(N + 2, retry.offset(), "a cut-back keyed append is appended anew");
            }
            expected = CrashVerifier.readLog(node);
            assertEquals(good, expected.subList(0, good.size()));
            assertServesExactly(node, expected);
        }
        QueueFiles.RawCounts raw = QueueFiles.rawCounts(data);
        // One start-up marker per open: writing the log, then the reopen whose marker closes the dead region.
        assertEquals(2, raw.resumeMarkers(), raw.toString());

        for (int restart = 1; restart <= 2; restart++) {
            try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
                assertServesExactly(node, expected);
            }
            assertEquals(new QueueFiles.RawCounts(raw.events(), raw.resumeMarkers() + restart, raw.corrupt()),
                    QueueFiles.rawCounts(data), "a further restart writes its start-up marker only");
        }
    }

    /**
     * The node reopened on a damaged tail is killed with SIGKILL while it takes its first appends; the
     * cut-back, the RESUME marker and every acknowledged append must survive that too.
     */
    @ParameterizedTest
    @EnumSource(value = Damage.class, names = {"MIDDLE_RECORD_FLIPPED", "LAST_THREE_RECORDS_ZEROED"})
    void killNineDuringTheFirstAppendsAfterACutBack(Damage damage) {
        Path data = dir.resolve("data");
        List<Entry> written = writeLog(data);
        damage.apply.apply(this, data);
        List<Entry> good = written.subList(0, damage.lastGood);

        Transcript transcript;
        try (JvmProcess child = JvmProcess.builder(AppendWorkload.class).name("after-cut-back")
                .args("data=" + data, "durability=" + Durability.PROCESS, "seed=" + nonce.hashCode(), "appenders=3",
                        "streams=3", "prefix=c", "inflight=8")
                .stderrTo(dir.resolve("after-cut-back.log")).start()) {
            String opened = child.awaitLine(l -> l.startsWith("OPENED"), Duration.ofSeconds(60));
            assertTrue(opened.startsWith("OPENED " + damage.lastGood + " "), opened);
            child.awaitLineCount(l -> l.startsWith("ACK"), 200, Duration.ofSeconds(60));
            child.kill9();
            transcript = Transcript.parse(child.lines());
        }
        assertTrue(transcript.acked.size() >= 200);
        String context = "cut-back " + damage + " then kill -9";
        List<Entry> log;
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            CrashVerifier.Summary summary = CrashVerifier.verify(node, good, transcript, context);
            System.out.println(context + ": " + summary);
            log = CrashVerifier.readLog(node);
            assertNotEquals(good.size(), log.size());
            assertEquals(damage.lastGood + 1, log.get(good.size()).offset());
        }
        assertEquals(3, QueueFiles.rawCounts(data).resumeMarkers(), "one start-up marker per open (log, child, check)");
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            assertEquals(log, CrashVerifier.readLog(node), "a further restart sees the same log");
        }
    }

    /**
     * The last three excerpts zeroed with their Chronicle headers, as lost pages leave them. Readers (and
     * replay) stop at the first zero header, but Chronicle's appender resumes after the queue's recorded
     * write position, beyond the hole, where no reader gets: appends after such a restart would be
     * acknowledged and unreadable (seen before the start-up check: the ack of offset 28 lost). The node
     * now checks at start-up that its marker can be read back and refuses to start when it cannot,
     * saying why; nothing is acknowledged.
     */
    @org.junit.jupiter.api.Test
    void aHoleOfZeroedExcerptHeadersIsRefusedAtStartUpRatherThanLosingAppends() {
        Path data = dir.resolve("data");
        writeLog(data);
        QueueFiles.Located first = locate(data, N - 2);
        QueueFiles.Located last = locate(data, N);
        QueueFiles.zero(first.file(), first.headerPosition(), last.recordPosition() + last.length());
        Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
                () -> EventLogNode.open(NodeConfig.defaults(data)).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("hole"), String.valueOf(refused));
    }

    /**
     * After a cut-back that left valid dead records behind the damaged one (offsets lastGood+2 ...), a
     * read of the global log serves the entries appended after the cut-back at once: a reader skips
     * records the offset index says are dead, whatever offset they carry. Here: 24 good entries, 25
     * corrupt, 26..30 dead; after appending 25 and 26 a log read returns 1..26.
     */
    @org.junit.jupiter.api.Test
    void aLogReadIsNotStoppedByDeadRecordsWithHigherOffsets() {
        Path data = dir.resolve("data");
        List<Entry> written = writeLog(data);
        Damage.MIDDLE_RECORD_FLIPPED.apply.apply(this, data);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            node.append("a", EventData.json("1")).block();
            node.append("a", EventData.json("2")).block();
            List<Entry> log = CrashVerifier.readLog(node);
            assertEquals(written.subList(0, N - 6), log.subList(0, Math.min(log.size(), N - 6)));
            assertEquals(List.of((long) N - 5, (long) N - 4),
                    log.subList(N - 6, log.size()).stream().map(Entry::offset).toList());
        }
    }

    /** The node serves exactly {@code expected}: by log read, stream reads, a subscription, and its last offset. */
    private static void assertServesExactly(EventLogNode node, List<Entry> expected) {
        assertEquals(expected, CrashVerifier.readLog(node));
        long last = expected.isEmpty() ? -1 : expected.get(expected.size() - 1).offset();
        assertEquals(last, node.lastOffset());
        Map<String, List<Entry>> byStream = expected.stream().collect(Collectors.groupingBy(Entry::stream));
        for (String stream : STREAMS) {
            List<Entry> want = byStream.getOrDefault(stream, List.of());
            if (!want.isEmpty()) {
                assertEquals(want, node.read(ReadRequest.stream(stream, 0, 1000)).collectList().block(), stream);
            }
        }
        // A live subscription from the start delivers the live entries and nothing else (no dead record
        // turns up before the timeout; the subscription is then cancelled).
        List<Entry> subscribed = new ArrayList<>(node.subscribe(SubscribeRequest.log(0))
                .take(Duration.ofMillis(150)).collectList().block());
        assertEquals(expected, subscribed);
    }
}

package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.server.streams.AppendDecision;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.IdempotencyLimits;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommittedApplierTest {
    private final EventStateMachine state = new EventStateMachine(IdempotencyLimits.defaults());
    private final OffsetIndex offsets = new OffsetIndex();
    private final List<StoredRecord> system = new ArrayList<>();
    // The queue index of entry i is 1000 + i: enough to see what was indexed.
    private final CommittedApplier applier = new CommittedApplier(state, offsets, i -> 1000 + i, system::add, 0);

    @Test
    void appliesWholeAppendsAndMakesThemReadable() {
        applier.apply(Entry.noop(1, 1));
        applier.apply(event(2, 1, "a", 0, 1, null));
        applier.apply(event(3, 1, "a", 1, 0, null));
        assertEquals(2, applier.readableIndex(), "the second append is not finished");
        assertEquals(-1, offsets.queueIndexOf(3));
        applier.apply(event(4, 1, "a", 2, 2, "key-1"));

        assertEquals(4, applier.readableIndex());
        assertEquals(4, applier.appliedIndex());
        assertEquals(1003, offsets.queueIndexOf(3));
        assertEquals(2, state.streams().lastVersion("a"));
        // Entry i was written at time 1000 + i: the key is remembered right after.
        AppendDecision repeat = state.decide("a", new AppendOptions(ExpectedVersion.ANY, "key-1"), 1005);
        assertInstanceOf(AppendDecision.Duplicate.class, repeat);
    }

    @Test
    void anAppendCutShortByALeaderChangeIsDroppedOnEveryReplica() {
        applier.apply(Entry.noop(1, 1));
        applier.apply(event(2, 1, "a", 0, 0, null));
        applier.apply(event(3, 1, "a", 1, 0, null));
        // The leader of term 1 died before writing the append's last entry; term 2 begins with its no-op.
        applier.apply(Entry.noop(4, 2));
        applier.apply(event(5, 2, "a", 0, 1, null));

        assertEquals(5, applier.readableIndex());
        assertEquals(-1, offsets.queueIndexOf(2));
        assertEquals(-1, offsets.queueIndexOf(3));
        assertEquals(1005, offsets.queueIndexOf(5));
        assertEquals(0, state.streams().lastVersion("a"));
    }

    @Test
    void anUnfinishedAppendFollowedByAnotherTermsEventIsDroppedToo() {
        applier.apply(event(1, 1, "a", 0, 0, null));
        applier.apply(event(2, 2, "b", 0, 1, null));
        assertEquals(-1, offsets.queueIndexOf(1));
        assertEquals(-1, state.streams().lastVersion("a"));
        assertEquals(0, state.streams().lastVersion("b"));
    }

    @Test
    void memberAddressesGoToTheAddressBookNotToReaders() {
        applier.apply(Entry.normal(1, 1, MemberAddresses.payload(4, new InetSocketAddress("127.0.0.1", 7174), 1)));
        applier.apply(Entry.normal(2, 1, MemberAddresses.payload(5, new InetSocketAddress("127.0.0.1", 7175), 2)));
        applier.apply(Entry.normal(3, 1, MemberAddresses.payload(4, null, 3)));

        assertEquals(3, applier.readableIndex());
        assertEquals(-1, offsets.queueIndexOf(1));
        assertEquals(-1, state.streams().lastVersion(MemberAddresses.STREAM));
        Map<Long, InetSocketAddress> book = new HashMap<>(Map.of(1L, new InetSocketAddress("127.0.0.1", 7171)));
        system.forEach(record -> MemberAddresses.apply(record, book));
        assertEquals(Map.of(1L, new InetSocketAddress("127.0.0.1", 7171), 5L, new InetSocketAddress("127.0.0.1", 7175)),
                book);
    }

    @Test
    void refusesEntriesOutOfOrder() {
        applier.apply(Entry.noop(1, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> applier.apply(Entry.noop(3, 1)));
        assertEquals("entry 3 applied after 1", e.getMessage());
    }

    @Test
    void configEntriesAreReadableBoundaries() {
        applier.apply(new Entry(1, 1, EntryKind.CONFIG, new byte[] {1}));
        assertEquals(1, applier.readableIndex());
    }

    private static Entry event(long index, long term, String stream, long version, int batchCount, String key) {
        byte[] body = RecordCodec.encodeBody(stream, "T", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        byte[] payload = RecordCodec.encodeEventPayload(1000 + index, version, batchCount,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), body);
        return Entry.normal(index, term, payload);
    }
}

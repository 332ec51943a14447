package io.eventlog.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A projection's state is the state of one fold over its selected entries, history and live alike. */
class ProjectionFoldTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CheckpointConfig OFTEN = CheckpointConfig.defaults().withEveryEntries(50);

    @TempDir
    Path dataDir;

    @Test
    void aStreamPrefixProjectionFoldsHistoryThenLiveEntriesLikeOneFullFold() {
        EntrySelection accounts = Ledger.ACCOUNTS;
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            Random random = new Random(1);
            Ledger.append(node, random, 300);
            try (ProjectionHandle<Balances> balances = Projections.start(node,
                    Balances.projection("balances", accounts), OFTEN)) {
                AppendResult last = Ledger.append(node, random, 300);

                FoldedState<Balances> folded = balances.awaitOffset(last.offset()).block(WAIT);

                List<Entry> log = Ledger.readAll(node);
                assertEquals(last.offset(), folded.offset());
                assertEquals(Balances.fullFold(log, accounts), folded.state());
                assertEquals(log.stream().filter(accounts::includes).count(), balances.foldedSinceStart());
                assertTrue(log.stream().anyMatch(e -> !accounts.includes(e)), "the log has entries it skips");
                assertTrue(balances.newestCheckpoint().offset() > 0, "it checkpointed while folding");
                MeterRegistry meters = node.config().meterRegistry();
                assertEquals(last.offset(), meters.get("eventlog.projection.offset").tag("projection", "balances")
                        .gauge().value());
                assertEquals(balances.foldedSinceStart(), meters.get("eventlog.projection.folded")
                        .tag("projection", "balances").functionCounter().count());
                assertTrue(meters.get("eventlog.projection.checkpoint.write").timer().count() > 0);
            }
            assertNull(node.config().meterRegistry().find("eventlog.projection.offset").gauge(),
                    "a closed projection's meters are removed");
        }
    }

    @Test
    void aGlobalLogProjectionFoldsEveryEntry() {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> everything = Projections.start(node,
                     Balances.projection("everything", EntrySelection.all()), OFTEN)) {
            AppendResult last = Ledger.append(node, new Random(2), 200);

            FoldedState<Balances> folded = everything.awaitOffset(last.offset()).block(WAIT);

            List<Entry> log = Ledger.readAll(node);
            assertEquals(Balances.fullFold(log, EntrySelection.all()), folded.state());
            assertEquals(log.size(), everything.foldedSinceStart());
        }
    }

    @Test
    void aSingleStreamProjectionReflectsOffsetsOfOtherStreamsWithoutFoldingThem() {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> one = Projections.start(node,
                     Balances.projection("one", EntrySelection.stream("account-3")))) {
            node.append("account-3", EventData.json("Deposited", "{\"amount\":10}")).block(WAIT);
            node.append("account-4", EventData.json("Deposited", "{\"amount\":99}")).block(WAIT);
            node.append("account-3", EventData.json("Withdrawn", "{\"amount\":4}")).block(WAIT);
            AppendResult other = node.append("account-4", EventData.json("Deposited", "{\"amount\":1}")).block(WAIT);

            FoldedState<Balances> folded = one.awaitOffset(other.offset()).block(WAIT);

            assertEquals(other.offset(), folded.offset());
            assertEquals(new Balances(Map.of("account-3", 6L), Map.of("account-3", 2L)), folded.state());
            assertEquals(2, one.foldedSinceStart());
        }
    }

    @Test
    void changesStartWithTheCurrentStateAndFollowEachFold() {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = Projections.start(node,
                     Balances.projection("balances", EntrySelection.stream("account-1")))) {
            var seen = balances.changes().take(3).collectList().toFuture();
            node.append("account-1", EventData.json("Deposited", "{\"amount\":5}")).block(WAIT);
            node.append("account-1", EventData.json("Deposited", "{\"amount\":7}")).block(WAIT);

            List<FoldedState<Balances>> states = reactor.core.publisher.Mono.fromFuture(seen).block(WAIT);

            assertEquals(List.of(0L, 5L, 12L), states.stream()
                    .map(s -> s.state().balances().getOrDefault("account-1", 0L)).toList());
            assertEquals(balances.current(), states.get(2));
        }
    }
}

package io.eventlog.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendResult;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A fold that throws stops its projection with a clear error and no half state; bad definitions are refused. */
class ProjectionErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EntrySelection ACCOUNT = EntrySelection.stream("account-1");
    private static final CheckpointConfig EVERY_2 = CheckpointConfig.defaults().withEveryEntries(2);

    @TempDir
    Path dataDir;

    @Test
    void aFoldThatThrowsStopsTheProjectionAtTheLastWholeStateAndCheckpointsNoMore() {
        ProjectionFold<Balances> refusesOverdrafts = (state, entry) -> {
            Balances after = state.apply(entry);
            if (after.balances().get(entry.stream()) < 0) {
                throw new IllegalArgumentException("overdraft");
            }
            return after;
        };
        Projection<Balances> strict = Projection.of("strict", Balances.EMPTY, refusesOverdrafts,
                JacksonStateCodec.of(Balances.class)).selecting(ACCOUNT);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            AppendResult deposit;
            AppendResult overdraft;
            try (ProjectionHandle<Balances> handle = Projections.start(node, strict, EVERY_2)) {
                node.append("account-1", EventData.json("Deposited", "{\"amount\":10}")).block(WAIT);
                deposit = node.append("account-1", EventData.json("Deposited", "{\"amount\":5}")).block(WAIT);
                overdraft = node.append("account-1", EventData.json("Withdrawn", "{\"amount\":20}")).block(WAIT);
                node.append("account-1", EventData.json("Deposited", "{\"amount\":100}")).block(WAIT);

                // The projection may still be folding when this subscribes: the current state, maybe the
                // states after it, then the failure; the last state is the deposit's.
                List<FoldedState<Balances>> seen = new ArrayList<>();
                StepVerifier.create(handle.changes()).thenConsumeWhile(state -> true, seen::add)
                        .expectErrorSatisfies(e -> assertSame(handle.failure(), e)).verify(WAIT);
                assertFalse(seen.isEmpty(), "the current state comes first");
                assertEquals(deposit.offset(), seen.get(seen.size() - 1).offset());
                ProjectionFailedException failure = handle.failure();
                assertEquals(overdraft.offset(), failure.offset());
                assertTrue(failure.getMessage().contains("projection strict stopped: its fold threw on the entry at"
                        + " offset " + overdraft.offset() + " (stream account-1, version 2)"), failure.getMessage());
                assertInstanceOf(IllegalArgumentException.class, failure.getCause());
                assertEquals(deposit.offset(), handle.offset());
                assertEquals(Map.of("account-1", 15L), handle.state().balances());
                assertThrows(ProjectionFailedException.class,
                        () -> handle.awaitOffset(overdraft.offset()).block(WAIT));
                assertThrows(IllegalStateException.class, () -> handle.checkpoint().block(WAIT));
                assertEquals(deposit.offset(), handle.newestCheckpoint().offset());
            }
            try (ProjectionHandle<Balances> restarted = Projections.start(node, strict, EVERY_2)) {
                assertEquals(deposit.offset(), restarted.startedFrom().offset(), "no checkpoint after the failure");
                assertEquals(overdraft.offset(), assertThrows(ProjectionFailedException.class,
                        () -> restarted.awaitOffset(node.lastOffset()).block(WAIT)).offset());
            }
        }
    }

    @Test
    void aFoldThatReturnsNullStopsTheProjection() {
        Projection<Balances> broken = Projection.of("broken", Balances.EMPTY, (state, entry) -> null,
                JacksonStateCodec.of(Balances.class));
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> handle = Projections.start(node, broken)) {
            AppendResult first = node.append("account-1", EventData.json("Deposited", "{\"amount\":1}")).block(WAIT);

            ProjectionFailedException failure = assertThrows(ProjectionFailedException.class,
                    () -> handle.awaitOffset(first.offset()).block(WAIT));
            assertTrue(failure.getMessage().contains("returned null"), failure.getMessage());
            assertEquals(Balances.EMPTY, handle.state());
        }
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsStored() throws Exception {
        for (String bad : new String[] {"", "../escape", "a/b", ".hidden", "-dash", "a..b", "x".repeat(101), "sp ace"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Balances.projection(bad, ACCOUNT), bad);
            assertTrue(e.getMessage().startsWith("invalid projection name"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Balances.projection(null, ACCOUNT));
        assertThrows(IllegalArgumentException.class, () -> Balances.projection("ok", ACCOUNT).withVersion(0));
        assertThrows(IllegalArgumentException.class, () -> EntrySelection.streamPrefix(""));
        assertThrows(EventLogException.class, () -> EntrySelection.stream("no/slash"));
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            assertFalse(Files.exists(dataDir.resolve("projections")));
        }
    }

    @Test
    void aProjectionRunsOnceOnANode() {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> running = Projections.start(node, Balances.projection("once", ACCOUNT))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Projections.start(node, Balances.projection("once", ACCOUNT)));
            assertTrue(e.getMessage().contains("projection once already runs"), e.getMessage());
            running.close();
            Projections.start(node, Balances.projection("once", ACCOUNT)).close();
        }
    }

    @Test
    void aClosedProjectionRefusesCheckpointsAndWaits() {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            ProjectionHandle<Balances> handle = Projections.start(node, Balances.projection("closed", ACCOUNT));
            handle.close();

            assertThrows(IllegalStateException.class, () -> handle.checkpoint().block(WAIT));
            assertThrows(IllegalStateException.class, () -> handle.awaitOffset(1).block(WAIT));
            StepVerifier.create(handle.changes()).expectNextCount(1).verifyComplete();
            assertNull(handle.failure());
        }
    }
}

package io.eventlog.server.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.projection.EntrySelection;
import io.eventlog.server.projection.JacksonStateCodec;
import io.eventlog.server.projection.Projection;
import io.eventlog.server.projection.ProjectionHandle;
import io.eventlog.server.projection.Projections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's projection example, run as written: a running balance per account, kept across restarts. */
class ProjectionExampleTest {
    @TempDir
    Path dataDir;

    // --- README example starts ---
    /** The projection's state: an immutable value, folded from the entries of the account streams. */
    record Balances(Map<String, Long> byAccount) {
        static final Balances NONE = new Balances(Map.of());
        private static final ObjectMapper JSON = new ObjectMapper();

        /** The fold: a pure function of the state and one entry ({"amount":n} in a Deposited or Withdrawn event). */
        static Balances apply(Balances balances, Entry entry) {
            long amount = amountOf(entry);
            Map<String, Long> next = new HashMap<>(balances.byAccount());
            next.merge(entry.stream(), "Withdrawn".equals(entry.type()) ? -amount : amount, Long::sum);
            return new Balances(Map.copyOf(next));
        }

        private static long amountOf(Entry entry) {
            try {
                return JSON.readTree(entry.data()).get("amount").asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final Projection<Balances> BALANCES = Projection.of("balances", Balances.NONE, Balances::apply,
                    JacksonStateCodec.of(Balances.class))
            .selecting(EntrySelection.streamPrefix("account-"))
            .withVersion(1); // raise it when the fold or the state change meaning: the projection then starts over

    static long deposit(Path dataDir) {
        try (EventLogNode log = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = Projections.start(log, BALANCES)) {
            log.append("account-alice", EventData.json("Deposited", "{\"amount\":100}")).block();
            log.append("account-bob", EventData.json("Deposited", "{\"amount\":20}")).block();
            AppendResult paid = log.append("account-alice", EventData.json("Withdrawn", "{\"amount\":30}")).block();

            // Read-your-writes: wait until the projection reflects the append, then read its state.
            Balances now = balances.awaitOffset(paid.offset()).block(Duration.ofSeconds(5)).state();
            System.out.println("alice has " + now.byAccount().get("account-alice")); // alice has 70
            return now.byAccount().get("account-alice");
        } // closing the handle writes a checkpoint: the state and the offset it reflects, in one file
    }

    static ProjectionHandle<Balances> restart(EventLogNode log) {
        // Loads the newest checkpoint and folds only the entries committed after it, then follows new ones.
        ProjectionHandle<Balances> balances = Projections.start(log, BALANCES,
                Projections.DEFAULT_CHECKPOINTS.withEveryEntries(10_000).withInterval(Duration.ofSeconds(30)));
        balances.changes().subscribe(state -> System.out.println("balances at offset " + state.offset() + ": "
                + state.state().byAccount()));
        return balances;
    }
    // --- README example ends ---

    @Test
    void theReadmeExampleRunsAsWritten() {
        assertEquals(70, deposit(dataDir));
        try (EventLogNode log = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = restart(log)) {
            assertEquals(3, balances.startedFrom().offset());
            assertEquals(Map.of("account-alice", 70L, "account-bob", 20L), balances.state().byAccount());

            AppendResult more = log.append("account-bob", EventData.json("Withdrawn", "{\"amount\":5}")).block();

            assertEquals(15L, balances.awaitOffset(more.offset()).block(Duration.ofSeconds(5)).state().byAccount()
                    .get("account-bob"));
            assertEquals(1, balances.foldedSinceStart());
        }
    }
}

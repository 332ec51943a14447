package io.eventlog.server.projection;

import io.eventlog.api.AppendOptions;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The child process of {@link ProjectionCrashTest}: opens a node on a data directory, starts the
 * balances projection (checkpointed every {@code checkpointEvery} entries) and appends deposits and
 * withdrawals while the projection folds them, until it is killed or halts itself. Arguments, in order:
 * data directory, seed, appends, checkpointEvery, haltAtFold (the fold halts the JVM in its middle,
 * after computing the new state and before returning it, on its n-th entry since this start; 0 = never).
 * Stdout, one line each: {@code STARTED <checkpoint offset>}, then every 20 appends
 * {@code PROGRESS <log offset> <projection offset> <newest checkpoint offset>}, and {@code DONE} if it
 * gets through its appends.
 */
public final class ProjectionCrashWorkload {
    /** The exit status of a child that halted in the middle of a fold. */
    static final int HALTED = 87;

    private ProjectionCrashWorkload() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        int appends = Integer.parseInt(args[2]);
        CheckpointConfig checkpoints = CheckpointConfig.defaults().withEveryEntries(Long.parseLong(args[3]));
        long haltAtFold = Long.parseLong(args[4]);

        long[] folds = {0};
        ProjectionFold<Balances> haltingFold = (state, entry) -> {
            Balances after = state.apply(entry);
            if (++folds[0] == haltAtFold) {
                Runtime.getRuntime().halt(HALTED);
            }
            return after;
        };
        Projection<Balances> balances = Balances.projection(Balances.OF_ACCOUNTS.name(), Ledger.ACCOUNTS, haltingFold);
        EventLogNode node = EventLogNode.open(NodeConfig.defaults(data));
        ProjectionHandle<Balances> handle = Projections.start(node, balances, checkpoints);
        System.out.println("STARTED " + handle.startedFrom().offset());
        for (int i = 1; i <= appends; i++) {
            node.append(Ledger.nextStream(random), Ledger.events(random), AppendOptions.DEFAULT)
                    .block(Duration.ofSeconds(20));
            if (i % 20 == 0) {
                System.out.println("PROGRESS " + node.lastOffset() + " " + handle.offset() + " "
                        + handle.newestCheckpoint().offset());
            }
        }
        handle.awaitOffset(node.lastOffset()).block(Duration.ofSeconds(60));
        handle.close();
        node.close();
        System.out.println("DONE");
        System.exit(0); // at once: an idle pool thread of a library would keep the JVM up for another ten seconds
    }
}

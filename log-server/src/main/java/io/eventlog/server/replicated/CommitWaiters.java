package io.eventlog.server.replicated;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposals (appends, membership changes) waiting for the log to decide them. A proposal at index
 * {@code i} in term {@code t} succeeded iff the entry applied at {@code i} has term {@code t}; any
 * other term there means a later leader replaced it, and it was not written (and never will be).
 * Futures complete on the executor given with each (the default one otherwise), never on the Raft
 * thread: those decided by one round of applied entries in one task per executor (a task per append
 * made the executor's queue a visible cost).
 */
final class CommitWaiters {
    private static final Logger LOG = LoggerFactory.getLogger(CommitWaiters.class);

    /** What to do once the entry at the awaited index is applied with the awaited term, or with another. */
    private record Waiter(long term, Executor executor, Runnable success, Consumer<Throwable> failure,
                          BooleanSupplier done) {
    }

    private final TreeMap<Long, List<Waiter>> byIndex = new TreeMap<>();
    private final Executor completions;
    /** Decided by the entries applied in this round, not yet handed to the executor. */
    private Map<Executor, List<Runnable>> decided = new IdentityHashMap<>();

    CommitWaiters(Executor completions) {
        this.completions = completions;
    }

    /** Completes {@code future} with {@code result} once index {@code lastIndex} is applied with {@code term}. */
    <T> void await(long lastIndex, long term, T result, CompletableFuture<T> future) {
        await(lastIndex, term, result, future, completions);
    }

    /** As {@link #await(long, long, Object, CompletableFuture)}, completing {@code future} on {@code executor}. */
    <T> void await(long lastIndex, long term, T result, CompletableFuture<T> future, Executor executor) {
        byIndex.computeIfAbsent(lastIndex, i -> new ArrayList<>(1)).add(new Waiter(term, executor,
                () -> future.complete(result), future::completeExceptionally, future::isDone));
    }

    /** The entry at {@code index} of {@code term} is applied (and readable). */
    void applied(long index, long term) {
        List<Waiter> waiters = byIndex.remove(index);
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            List<Runnable> onExecutor = decided.computeIfAbsent(waiter.executor, e -> new ArrayList<>());
            if (waiter.term == term) {
                onExecutor.add(waiter.success);
            } else {
                EventLogException lost = new EventLogException(ErrorCode.UNAVAILABLE, "the leader changed before the"
                        + " change committed; it was not written: retry it");
                onExecutor.add(() -> waiter.failure.accept(lost));
            }
        }
    }

    /** Completes, on the executor, what the entries applied since the last call decided. */
    void completeApplied() {
        if (decided.isEmpty()) {
            return;
        }
        decided.forEach((executor, round) -> execute(executor, completions,
                () -> round.forEach(CommitWaiters::runAlone)));
        decided = new IdentityHashMap<>();
    }

    /** Runs {@code task} on {@code preferred}, or on {@code fallback} if that one has shut down (a server's event loop). */
    static void execute(Executor preferred, Executor fallback, Runnable task) {
        try {
            preferred.execute(task);
        } catch (RejectedExecutionException e) {
            fallback.execute(task);
        }
    }

    /** One completion's failure must not keep the others of its round from running. */
    private static void runAlone(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException e) {
            LOG.error("completing a proposal failed", e);
        }
    }

    /** Drops waiters whose future is already done (timed out). */
    void pruneDone() {
        byIndex.values().removeIf(waiters -> {
            waiters.removeIf(w -> w.done.getAsBoolean());
            return waiters.isEmpty();
        });
    }

    void failAll(EventLogException error) {
        for (Map.Entry<Long, List<Waiter>> entry : byIndex.entrySet()) {
            for (Waiter waiter : entry.getValue()) {
                completions.execute(() -> waiter.failure.accept(error));
            }
        }
        byIndex.clear();
    }
}

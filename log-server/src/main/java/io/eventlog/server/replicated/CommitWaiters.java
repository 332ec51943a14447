package io.eventlog.server.replicated;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.completion.CompletionRound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Proposals (appends, membership changes) waiting for the log to decide them. A proposal at index
 * {@code i} in term {@code t} succeeded iff the entry applied at {@code i} has term {@code t}; any
 * other term there means a later leader replaced it, and it was not written (and never will be).
 * Futures complete on the executor given with each (the default one otherwise), never on the Raft
 * thread: those decided by one round of applied entries in one task per executor (a task per append
 * made the executor's queue a visible cost).
 */
final class CommitWaiters {
    /** What to do once the entry at the awaited index is applied with the awaited term, or with another. */
    private record Waiter(long term, Executor executor, Runnable success, Consumer<Throwable> failure,
                          BooleanSupplier done) {
    }

    private final TreeMap<Long, List<Waiter>> byIndex = new TreeMap<>();
    private final Executor completions;
    /** Decided by the entries applied in this round, not yet handed to the executor. */
    private final CompletionRound decided;

    CommitWaiters(Executor completions) {
        this.completions = completions;
        this.decided = new CompletionRound(completions);
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
            if (waiter.term == term) {
                decided.add(waiter.executor, waiter.success);
            } else {
                EventLogException lost = new EventLogException(ErrorCode.UNAVAILABLE, "the leader changed before the"
                        + " change committed; it was not written: retry it");
                decided.add(waiter.executor, () -> waiter.failure.accept(lost));
            }
        }
    }

    /** Completes, on the executor, what the entries applied since the last call decided. */
    void completeApplied() {
        decided.dispatch();
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

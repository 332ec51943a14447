package io.eventlog.server.replicated;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
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
 * Futures complete on the given executor, never on the Raft thread.
 */
final class CommitWaiters {

    /** What to do once the entry at the awaited index is applied with the awaited term, or with another. */
    private record Waiter(long term, Runnable success, Consumer<Throwable> failure, BooleanSupplier done) {
    }

    private final TreeMap<Long, List<Waiter>> byIndex = new TreeMap<>();
    private final Executor completions;

    CommitWaiters(Executor completions) {
        this.completions = completions;
    }

    /** Completes {@code future} with {@code result} once index {@code lastIndex} is applied with {@code term}. */
    <T> void await(long lastIndex, long term, T result, CompletableFuture<T> future) {
        byIndex.computeIfAbsent(lastIndex, i -> new ArrayList<>(1))
                .add(new Waiter(term, () -> future.complete(result), future::completeExceptionally, future::isDone));
    }

    /** The entry at {@code index} of {@code term} is applied (and readable). */
    void applied(long index, long term) {
        List<Waiter> waiters = byIndex.remove(index);
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (waiter.term == term) {
                completions.execute(waiter.success);
            } else {
                EventLogException lost = new EventLogException(ErrorCode.UNAVAILABLE, "the leader changed before the"
                        + " change committed; it was not written: retry it");
                completions.execute(() -> waiter.failure.accept(lost));
            }
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

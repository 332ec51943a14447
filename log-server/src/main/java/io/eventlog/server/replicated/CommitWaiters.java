package io.eventlog.server.replicated;

import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Appends proposed and waiting for the log to decide them. An append proposed at index {@code i}
 * in term {@code t} succeeded iff the entry applied at {@code i} has term {@code t}; any other term
 * there means a later leader replaced it, and the append was not written (and never will be).
 * Futures complete on the given executor, never on the Raft thread.
 */
final class CommitWaiters {

    private record Waiter(long term, AppendResult result, CompletableFuture<AppendResult> future) {
    }

    private final TreeMap<Long, List<Waiter>> byIndex = new TreeMap<>();
    private final Executor completions;

    CommitWaiters(Executor completions) {
        this.completions = completions;
    }

    void await(long lastIndex, long term, AppendResult result, CompletableFuture<AppendResult> future) {
        byIndex.computeIfAbsent(lastIndex, i -> new ArrayList<>(1)).add(new Waiter(term, result, future));
    }

    /** The entry at {@code index} of {@code term} is applied (and readable). */
    void applied(long index, long term) {
        List<Waiter> waiters = byIndex.remove(index);
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (waiter.term == term) {
                completions.execute(() -> waiter.future.complete(waiter.result));
            } else {
                EventLogException lost = new EventLogException(ErrorCode.UNAVAILABLE, "the leader changed before the"
                        + " append committed; it was not written: retry it");
                completions.execute(() -> waiter.future.completeExceptionally(lost));
            }
        }
    }

    /** Drops waiters whose future is already done (timed out). */
    void pruneDone() {
        byIndex.values().removeIf(waiters -> {
            waiters.removeIf(w -> w.future.isDone());
            return waiters.isEmpty();
        });
    }

    void failAll(EventLogException error) {
        for (Map.Entry<Long, List<Waiter>> entry : byIndex.entrySet()) {
            for (Waiter waiter : entry.getValue()) {
                completions.execute(() -> waiter.future.completeExceptionally(error));
            }
        }
        byIndex.clear();
    }
}

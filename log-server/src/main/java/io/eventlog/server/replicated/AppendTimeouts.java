package io.eventlog.server.replicated;

import io.eventlog.api.AppendResult;
import io.eventlog.api.EventLogException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Fails appends not answered within the append timeout, checked on the Raft clock's tick (so up to
 * a tick late). Every append has the same timeout, so the order they reach the Raft thread is the
 * order they expire in: one queue, checked from its head, instead of a timer per append (a
 * scheduled task set and cancelled on every append was a visible share of its cost). Raft thread only.
 */
final class AppendTimeouts {

    /** Holds the future only, not the append: a stuck head must not keep the bodies behind it alive. */
    private record Started(long atNanos, CompletableFuture<AppendResult> result) {
    }

    private final ArrayDeque<Started> started = new ArrayDeque<>();
    private final long timeoutNanos;
    private final Executor completions;
    private final Supplier<EventLogException> timedOut;

    /** @param completions where the failures run (never on the Raft thread) */
    AppendTimeouts(Duration timeout, Executor completions, Supplier<EventLogException> timedOut) {
        this.timeoutNanos = timeout.toNanos();
        this.completions = completions;
        this.timedOut = timedOut;
    }

    void add(QueuedAppend append) {
        started.add(new Started(append.enqueuedNanos, append.result));
    }

    /** Fails the appends past their timeout; forgets those answered meanwhile. */
    void expire() {
        long now = System.nanoTime();
        Started head;
        while ((head = started.peek()) != null && (head.result.isDone() || now - head.atNanos > timeoutNanos)) {
            started.poll();
            CompletableFuture<AppendResult> late = head.result;
            if (!late.isDone()) {
                completions.execute(() -> late.completeExceptionally(timedOut.get()));
            }
        }
    }
}

package io.eventlog.server.completion;

import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;

/**
 * The netty event loop a request came from. Its answer is written from that loop anyway, so a
 * result completed there saves a hand-off per request; a caller that is not on an event loop (an
 * embedding application's thread, the Raft thread) has none.
 */
public final class CallerLoop {
    private CallerLoop() {
    }

    /** The event loop running the current thread, or null when it is not one. */
    public static Executor current() {
        return ThreadExecutorMap.currentExecutor();
    }

    /** Runs {@code task} on {@code preferred}, or on {@code fallback} if that one has shut down (a server's event loop). */
    public static void execute(Executor preferred, Executor fallback, Runnable task) {
        try {
            preferred.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            fallback.execute(task);
        }
    }
}

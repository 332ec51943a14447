package io.eventlog.server.completion;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completions decided together (one group commit, one round of applied entries), collected by the
 * executor each must run on and handed over as one task per executor: a task per completion made
 * the executors' queues a visible cost. Filled and dispatched by one thread.
 */
public final class CompletionRound {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionRound.class);

    private final Executor fallback;
    private Map<Executor, List<Runnable>> byExecutor = new IdentityHashMap<>();

    /** @param fallback runs the completions that name no executor, and those whose executor has shut down */
    public CompletionRound(Executor fallback) {
        this.fallback = fallback;
    }

    /** Adds a completion to run on {@code executor} (null: the fallback). */
    public void add(Executor executor, Runnable completion) {
        byExecutor.computeIfAbsent(executor != null ? executor : fallback, e -> new ArrayList<>()).add(completion);
    }

    /** Hands what was added since the last call to the executors, one task each, and starts a new round. */
    public void dispatch() {
        if (byExecutor.isEmpty()) {
            return;
        }
        byExecutor.forEach((executor, completions) -> CallerLoop.execute(executor, fallback,
                () -> completions.forEach(CompletionRound::runAlone)));
        byExecutor = new IdentityHashMap<>();
    }

    /** One completion's failure must not keep the others of its round from running. */
    private static void runAlone(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException e) {
            LOG.error("completing a request failed", e);
        }
    }
}

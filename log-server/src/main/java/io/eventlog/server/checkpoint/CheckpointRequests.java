package io.eventlog.server.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checkpoints asked for (the admin endpoint, the CLI, an embedding application) and not answered yet:
 * any thread asks, the thread that owns the state drains them when it takes a checkpoint. Once closed,
 * a request fails at once.
 */
public final class CheckpointRequests {
    private final ConcurrentLinkedQueue<CompletableFuture<Checkpoint>> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public CompletableFuture<Checkpoint> request() {
        CompletableFuture<Checkpoint> request = new CompletableFuture<>();
        waiting.add(request);
        // close() sets the flag before it drains: a request it may have missed is still here.
        if (closed && waiting.remove(request)) {
            request.completeExceptionally(new IllegalStateException("the node is closed"));
        }
        return request;
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Takes every waiting request. */
    public List<CompletableFuture<Checkpoint>> drain() {
        List<CompletableFuture<Checkpoint>> drained = new ArrayList<>();
        CompletableFuture<Checkpoint> request;
        while ((request = waiting.poll()) != null) {
            drained.add(request);
        }
        return drained;
    }

    /** Refuses later requests; returns those still waiting, to be answered by a last checkpoint. */
    public List<CompletableFuture<Checkpoint>> close() {
        closed = true;
        return drain();
    }

    /** A single daemon thread named {@code eventlog-checkpoint}, where checkpoints are written off the state's owner. */
    public static ExecutorService backgroundThread() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eventlog-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
    }
}

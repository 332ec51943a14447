package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.server.completion.CallerLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An append on its way through the Raft driver: waiting for a leader, forwarded to the leader, or
 * proposed. {@code replyTo} is the follower that forwarded it here (0 for a local append) and
 * {@code forwardId} that follower's id for it.
 */
final class QueuedAppend {
    final String stream;
    final List<byte[]> bodies;
    final AppendOptions options;
    final long bytes;
    final long replyTo;
    final long forwardId;
    final long enqueuedNanos = System.nanoTime();
    final CompletableFuture<AppendResult> result = new CompletableFuture<>();
    /**
     * The netty event loop the append came from, or null (an embedding application's thread, or the
     * Raft thread for an append a follower forwarded). Its result is completed there: the HTTP or
     * binary response is written from that loop anyway, so this saves a hand-off per append.
     */
    private final Executor callerLoop = CallerLoop.current();

    /** Where to complete the result: the caller's event loop, else {@code otherwise}. */
    Executor completeOn(Executor otherwise) {
        return callerLoop != null ? callerLoop : otherwise;
    }

    QueuedAppend(String stream, List<byte[]> bodies, AppendOptions options, long replyTo, long forwardId) {
        this.stream = stream;
        this.bodies = bodies;
        this.options = options;
        this.replyTo = replyTo;
        this.forwardId = forwardId;
        long total = 0;
        for (byte[] body : bodies) {
            total += body.length;
        }
        this.bytes = total;
    }
}

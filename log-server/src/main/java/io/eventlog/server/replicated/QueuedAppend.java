package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

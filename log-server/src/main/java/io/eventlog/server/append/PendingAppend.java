package io.eventlog.server.append;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.server.completion.CallerLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** One append request waiting for the writer: events already validated and encoded. */
final class PendingAppend {
    final String stream;
    final List<byte[]> bodies;
    final AppendOptions options;
    final byte[] idempotencyKey;
    final long bytes;
    final long enqueuedNanos = System.nanoTime();
    final CompletableFuture<AppendResult> result = new CompletableFuture<>();
    /** Where the result is completed: the caller's event loop, or null for the writer's acknowledgement thread. */
    final Executor callerLoop = CallerLoop.current();

    PendingAppend(String stream, List<byte[]> bodies, AppendOptions options) {
        this.stream = stream;
        this.bodies = bodies;
        this.options = options;
        this.idempotencyKey = options.idempotencyKey() == null ? null
                : options.idempotencyKey().getBytes(StandardCharsets.UTF_8);
        long total = 0;
        for (byte[] body : bodies) {
            total += body.length;
        }
        this.bytes = total;
    }
}

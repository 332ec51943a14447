package io.eventlog.server.append;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a node's validated appends go: the single node's {@link GroupCommitWriter}, or the Raft
 * driver of a replicated node. The future completes once the append is committed and readable.
 */
public interface AppendSink extends AutoCloseable {

    /** Queues an append of already validated, encoded event bodies. */
    CompletableFuture<AppendResult> submit(String stream, List<byte[]> bodies, AppendOptions options);

    /** Stops taking appends and finishes or fails those queued. */
    @Override
    void close();
}

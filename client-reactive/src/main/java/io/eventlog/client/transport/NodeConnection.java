package io.eventlog.client.transport;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The requests the client makes of one node, over one wire protocol (HTTP today; a binary
 * protocol can implement the same). No retries and no failover here: one call is one request to
 * this node. Failures are {@code EventLogException}s: the server's error with its code,
 * {@link NodeUnreachableException} when the connection failed, {@link LeaderRedirectException}
 * when the node points at the leader, {@code ErrorCode.TIMEOUT} when no answer came in time.
 */
public interface NodeConnection extends AutoCloseable {

    NodeAddress address();

    /**
     * One append request.
     *
     * @param idempotencyKey the key the node deduplicates repeats by; never null (the client makes one)
     * @param timeout        how long to wait for the answer
     */
    Mono<AppendResult> append(String stream, List<EventData> events, ExpectedVersion expected, String idempotencyKey,
                              Duration timeout);

    /** A bounded read, streamed: entries arrive as the caller requests them. */
    Flux<Entry> read(ReadRequest request, Duration timeout);

    /**
     * A live subscription. It never completes on its own: when the node ends it (the node stops),
     * it fails with {@link NodeUnreachableException}.
     */
    Flux<Entry> subscribe(SubscribeRequest request);

    /** What the node knows about its cluster. */
    Mono<ClusterInfo> cluster(Duration timeout);

    @Override
    void close();
}

package io.eventlog.client.failover;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.StreamName;
import io.eventlog.client.cluster.LeaderTracker;
import io.eventlog.client.cluster.Node;
import io.eventlog.client.cluster.NodeDirectory;
import io.eventlog.client.transport.LeaderRedirectException;
import io.eventlog.client.transport.NodeUnreachableException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Sends appends to the leader and retries them through leader changes and lost connections. Every
 * attempt of one append carries the same Idempotency-Key (the caller's, or a random UUID), so a
 * retry of an append that did commit returns its original offsets and writes nothing again.
 */
public final class LeaderAppends {
    private final NodeDirectory nodes;
    private final LeaderTracker leaders;
    private final RetryPolicy policy;
    private final Duration requestTimeout;
    /**
     * Generated Idempotency-Keys: a random UUID per client, then a counter. As unique as a UUID per
     * append, without a call to the shared SecureRandom on every append.
     */
    private final String keyPrefix = UUID.randomUUID() + "-";
    private final AtomicLong keyCounter = new AtomicLong();

    public LeaderAppends(NodeDirectory nodes, LeaderTracker leaders, RetryPolicy policy, Duration requestTimeout) {
        this.nodes = nodes;
        this.leaders = leaders;
        this.policy = policy;
        this.requestTimeout = requestTimeout;
    }

    /** @param retryPolicy the policy for this append (the client's, or one with the caller's deadline) */
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options,
                                     RetryPolicy retryPolicy) {
        StreamName.requireValid(stream);
        List<EventData> batch = List.copyOf(events);
        String key = options.idempotencyKey() != null ? options.idempotencyKey()
                : keyPrefix + Long.toHexString(keyCounter.incrementAndGet());
        Mono<AppendResult> attempt = Mono.defer(() -> {
            Node known = leaders.known();
            return known != null && known.isUp() ? send(known, stream, batch, options, key)
                    : leaders.leader().flatMap(node -> send(node, stream, batch, options, key));
        });
        return retryPolicy.retrying(attempt).onErrorMap(RetryPolicy::retryable, failure -> outcomeUnknown(stream, key,
                (EventLogException) failure));
    }

    private Mono<AppendResult> send(Node node, String stream, List<EventData> batch, AppendOptions options, String key) {
        return node.track(node.connection().append(stream, batch, options.expectedVersion(), key, requestTimeout))
                .doOnError(failure -> learnFrom(node, failure));
    }

    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options) {
        return append(stream, events, options, policy);
    }

    public RetryPolicy policy() {
        return policy;
    }

    private void learnFrom(Node node, Throwable failure) {
        if (failure instanceof LeaderRedirectException redirect) {
            leaders.redirectedTo(redirect.leader());
        } else if (failure instanceof NodeUnreachableException) {
            nodes.markDown(node);
            leaders.forget(node);
        } else if (failure instanceof EventLogException e && e.code().retryable()) {
            leaders.forget(node);
        }
    }

    /** The last failure, saying that the append may have been written and how to find out safely. */
    private static EventLogException outcomeUnknown(String stream, String key, EventLogException last) {
        ErrorCode code = last.code() == ErrorCode.NOT_LEADER ? ErrorCode.NO_LEADER : last.code();
        return new EventLogException(code, "append to '" + stream + "' gave up retrying; it may or may not have "
                + "been written: repeat it with Idempotency-Key " + key + " to find out. Last failure: "
                + last.getMessage(), last);
    }
}

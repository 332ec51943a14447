package io.eventlog.client.failover;

import io.eventlog.api.Entry;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.cluster.Node;
import io.eventlog.client.cluster.ReadRouter;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Reads and subscriptions that survive the loss of the node they stream from: on a retryable
 * failure the node is marked down and the request goes on from another node the router picks,
 * right after the last entry delivered, so the subscriber sees no entry twice and none missing.
 */
public final class ResumableEntries {
    private final ReadRouter router;
    private final RetryPolicy policy;
    private final Duration requestTimeout;

    public ResumableEntries(ReadRouter router, RetryPolicy policy, Duration requestTimeout) {
        this.router = router;
        this.policy = policy;
        this.requestTimeout = requestTimeout;
    }

    public Flux<Entry> read(ReadRequest request) {
        return Flux.defer(() -> {
            ReadPosition position = new ReadPosition(request);
            Flux<Entry> attempt = onChosenNode(node -> node.connection().read(position.nextRequest(), requestTimeout))
                    .filter(position::accepts)
                    .doOnNext(position::delivered);
            return policy.resuming(attempt).repeat(position::wantsAnotherPage);
        });
    }

    public Flux<Entry> subscribe(SubscribeRequest request) {
        return Flux.defer(() -> {
            SubscriptionPosition position = new SubscriptionPosition(request);
            Flux<Entry> attempt = onChosenNode(node -> position.needsFence()
                    ? node.connection().cluster(requestTimeout)
                            .doOnNext(info -> position.fence(info.commitIndex()))
                            .thenMany(Flux.defer(() -> node.connection().subscribe(position.nextRequest())))
                    : node.connection().subscribe(position.nextRequest()))
                    .filter(position::accepts)
                    .doOnNext(position::delivered);
            return policy.resuming(attempt);
        });
    }

    /** One attempt on the node the router picks now; the node is marked down if the attempt fails retryably. */
    private Flux<Entry> onChosenNode(Function<Node, Flux<Entry>> request) {
        return router.choose().flatMapMany(node -> node.track(request.apply(node)).doOnError(failure -> {
            if (RetryPolicy.retryable(failure)) {
                router.failed(node);
            }
        }));
    }
}

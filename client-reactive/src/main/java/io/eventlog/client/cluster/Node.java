package io.eventlog.client.cluster;

import io.eventlog.client.balance.BalancedNode;
import io.eventlog.client.transport.NodeConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A node as the client sees it: its connection, this client's requests in flight on it, and whether it is marked down. */
public final class Node implements BalancedNode {
    private final NodeConnection connection;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile long downUntilNanos;
    private volatile boolean down;

    Node(NodeConnection connection) {
        this.connection = connection;
    }

    public NodeConnection connection() {
        return connection;
    }

    @Override
    public String address() {
        return connection.address().toString();
    }

    @Override
    public int outstanding() {
        return outstanding.get();
    }

    /** Skips the node for {@code period}: it failed to answer. */
    public void markDown(Duration period) {
        downUntilNanos = System.nanoTime() + period.toNanos();
        down = true;
    }

    public boolean isUp() {
        if (down && System.nanoTime() - downUntilNanos >= 0) {
            down = false;
        }
        return !down;
    }

    /** Counts the request as outstanding on this node from subscription to its end. */
    public <T> Flux<T> track(Flux<T> request) {
        return Flux.defer(() -> {
            outstanding.incrementAndGet();
            return request.doFinally(signal -> outstanding.decrementAndGet());
        });
    }

    public <T> Mono<T> track(Mono<T> request) {
        return Mono.defer(() -> {
            outstanding.incrementAndGet();
            return request.doFinally(signal -> outstanding.decrementAndGet());
        });
    }

    @Override
    public String toString() {
        return address();
    }
}

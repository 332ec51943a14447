package io.eventlog.server.testing;

import io.eventlog.server.testing.history.History;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A subscription that follows the cluster: whenever its run ends (its node was killed or stopped, the
 * connection broke), it resumes on the next node with {@code Last-Event-ID}, under the same id, as a client
 * that fails over would. Its history then shows whether the resumes missed or repeated anything.
 */
final class ResumingSubscription {
    private static final long RESUME_PAUSE_MILLIS = 200;

    private final List<HttpLogClient> nodes;
    private final History history;
    private final Thread follower;
    private volatile LogSubscription current;
    private volatile boolean running = true;
    private int node;

    /** @param first the first run, started on {@code nodes.get(firstNode)} */
    ResumingSubscription(List<HttpLogClient> nodes, History history, int firstNode, LogSubscription first) {
        this.nodes = nodes;
        this.history = history;
        this.node = firstNode;
        this.current = first;
        this.follower = new Thread(this::resumeWhenEnded, "resume-" + first.invoke().subscription());
        follower.setDaemon(true);
        follower.start();
    }

    /** The id of the last entry delivered, across runs: an offset, or a version for a stream. */
    long lastPosition() {
        return current.lastPosition();
    }

    /** Waits until {@code position} is delivered; fails on timeout. */
    void awaitPosition(long position, Duration timeout) {
        Poll.until("subscription " + current.invoke().subscription() + " to be delivered position " + position,
                timeout, () -> current.lastPosition() >= position ? Optional.of(true) : Optional.empty(),
                () -> "it is at " + current.lastPosition() + ", run on " + current.invoke().node()
                        + (current.isEnded() ? " ended: " + current.endedBecause() : " running"));
    }

    void stop() throws InterruptedException {
        running = false;
        follower.join();
        current.close();
    }

    private void resumeWhenEnded() {
        try {
            while (running) {
                if (current.awaitEnd(Duration.ofMillis(100)) && running) {
                    Poll.sleep(RESUME_PAUSE_MILLIS); // a node refusing connections would make this spin
                    node = (node + 1) % nodes.size();
                    current = nodes.get(node).resume(history, current);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

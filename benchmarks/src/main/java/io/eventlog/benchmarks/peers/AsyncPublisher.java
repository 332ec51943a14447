package io.eventlog.benchmarks.peers;

import io.eventlog.benchmarks.load.Measurement;
import io.nats.client.JetStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes with {@code publishAsync} while at most {@code inFlight} publishes await their ack: the
 * JetStream counterpart of the HTTP generator's N closed loops. A publish counts when its ack arrives
 * inside the measured window; its latency runs from publishing to the ack.
 */
final class AsyncPublisher {
    private static final long DRAIN_SECONDS = 30;

    private AsyncPublisher() {
    }

    static void run(JetStream jetStream, JetStreamConfig config, byte[] payload, Measurement measurement)
            throws InterruptedException {
        Semaphore window = new Semaphore(config.inFlight());
        while (measurement.running()) {
            window.acquire();
            long sent = System.nanoTime();
            try {
                jetStream.publishAsync(config.subject(), payload).whenComplete((ack, failure) -> {
                    window.release();
                    if (failure == null) {
                        measurement.succeeded(sent);
                    } else {
                        measurement.failed(failure);
                    }
                });
            } catch (IllegalStateException closed) {
                window.release();
                measurement.failed(closed);
            }
        }
        // Wait for the last acks (they no longer count) so that closing the connection fails none.
        window.tryAcquire(config.inFlight(), DRAIN_SECONDS, TimeUnit.SECONDS);
    }
}

package io.eventlog.benchmarks.peers;

import io.eventlog.benchmarks.load.Measurement;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import java.io.IOException;

/** Publishes one message at a time, each awaiting its ack: the latency of a synchronous append. */
final class SyncPublisher {
    private SyncPublisher() {
    }

    static void run(JetStream jetStream, JetStreamConfig config, byte[] payload, Measurement measurement) {
        while (measurement.running()) {
            long sent = System.nanoTime();
            try {
                jetStream.publish(config.subject(), payload);
                measurement.succeeded(sent);
            } catch (IOException | JetStreamApiException e) {
                measurement.failed(e);
            }
        }
    }
}

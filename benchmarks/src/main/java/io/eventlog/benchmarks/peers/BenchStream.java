package io.eventlog.benchmarks.peers;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * Creates the run's stream afresh and finds the server that leads it. Each step is retried until a
 * deadline: a cluster that has just started answers "JetStream system temporarily unavailable" until it
 * has elected its meta leader, and a new replicated stream has no leader for a moment.
 */
final class BenchStream {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration RETRY_AFTER = Duration.ofMillis(500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** One try of a step: its result, or null when it should be tried again. */
    private interface Attempt<T> {
        T run() throws IOException, JetStreamApiException;
    }

    private BenchStream() {
    }

    /** Deletes the stream if it exists, creates it, and returns its leader's URL (one of {@code config.servers()}). */
    static String recreate(JetStreamConfig config) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (Connection admin = connect(config.servers().toArray(String[]::new))) {
            JetStreamManagement management = admin.jetStreamManagement();
            retry("delete the old stream", deadline,
                    () -> !management.getStreamNames().contains(config.stream()) || management.deleteStream(config.stream()));
            retry("create the stream", deadline, () -> management.addStream(StreamConfiguration.builder()
                    .name(config.stream())
                    .subjects(config.subject())
                    .storageType(StorageType.File)
                    .replicas(config.replicas())
                    .build()));
            String leader = retry("find the stream's leader", deadline, () -> {
                ClusterInfo cluster = management.getStreamInfo(config.stream()).getClusterInfo();
                return cluster == null ? null : cluster.getLeader();
            });
            return urlOf(leader, config);
        }
    }

    /** A connection to these servers only, not to others they tell of. */
    static Connection connect(String... servers) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().servers(servers).ignoreDiscoveredServers()
                .connectionTimeout(CONNECT_TIMEOUT).build());
    }

    private static <T> T retry(String step, long deadline, Attempt<T> attempt) throws IOException, InterruptedException {
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T result = attempt.run();
                if (result != null) {
                    return result;
                }
            } catch (JetStreamApiException | IOException e) {
                last = e;
            }
            Thread.sleep(RETRY_AFTER.toMillis());
        }
        throw new IOException("cannot " + step + " within " + DEADLINE.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Which of the servers is named {@code serverName}: asks each in turn. */
    private static String urlOf(String serverName, JetStreamConfig config) throws IOException, InterruptedException {
        for (String server : config.servers()) {
            try (Connection connection = connect(server)) {
                if (serverName.equals(connection.getServerInfo().getServerName())) {
                    return server;
                }
            }
        }
        throw new IOException("the stream's leader " + serverName + " is none of " + config.servers());
    }
}

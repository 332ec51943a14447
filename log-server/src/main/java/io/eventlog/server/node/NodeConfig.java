package io.eventlog.server.node;

import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.replicated.ReplicationConfig;
import io.eventlog.server.retention.RetentionConfig;
import io.eventlog.server.streams.IdempotencyLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How a node is opened.
 *
 * @param dataDir            where the log and the node's files live
 * @param durability         what an acknowledged append survives
 * @param idempotency        how long, and for how many appends, an Idempotency-Key is remembered
 * @param minOffsetTimeout   how long a read or subscription with min_offset waits for that offset
 * @param maxQueuedBytes     event bytes that may wait for the writer before appends are refused (503)
 * @param rollCycle          how often the queue starts a new file (retention deletes whole files)
 * @param meterRegistry      where the node's metrics go
 * @param replication        how the node takes part in a Raft cluster; null for a single node
 * @param checkpoints        when the node writes checkpoints of its state, and how many it keeps
 * @param retention          how much of the log the node keeps
 */
public record NodeConfig(Path dataDir, Durability durability, IdempotencyLimits idempotency, Duration minOffsetTimeout,
                         long maxQueuedBytes, RollCycle rollCycle, MeterRegistry meterRegistry,
                         ReplicationConfig replication, CheckpointConfig checkpoints, RetentionConfig retention) {

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(retention, "retention");
        if (minOffsetTimeout.isNegative() || maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("durations must be >= 0 and maxQueuedBytes > 0");
        }
    }

    /**
     * Durability process, a 10-minute idempotency window of at most 2,000,000 keys, hourly queue files, checkpoints as
     * {@link CheckpointConfig#defaults()}, the whole log kept.
     */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, Durability.PROCESS, IdempotencyLimits.defaults(), Duration.ofSeconds(10),
                256L << 20, RollCycles.FAST_HOURLY, new SimpleMeterRegistry(), null, CheckpointConfig.defaults(),
                RetentionConfig.NONE);
    }

    public NodeConfig withDurability(Durability value) {
        return new NodeConfig(dataDir, value, idempotency, minOffsetTimeout, maxQueuedBytes, rollCycle,
                meterRegistry, replication, checkpoints, retention);
    }

    public NodeConfig withIdempotency(IdempotencyLimits value) {
        return new NodeConfig(dataDir, durability, value, minOffsetTimeout, maxQueuedBytes, rollCycle,
                meterRegistry, replication, checkpoints, retention);
    }

    public NodeConfig withIdempotencyWindow(Duration value) {
        return withIdempotency(idempotency.withWindow(value));
    }

    public NodeConfig withMinOffsetTimeout(Duration value) {
        return new NodeConfig(dataDir, durability, idempotency, value, maxQueuedBytes, rollCycle,
                meterRegistry, replication, checkpoints, retention);
    }

    public NodeConfig withMaxQueuedBytes(long value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, value, rollCycle,
                meterRegistry, replication, checkpoints, retention);
    }

    public NodeConfig withRollCycle(RollCycle value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, maxQueuedBytes, value,
                meterRegistry, replication, checkpoints, retention);
    }

    /** Makes the node a member of a Raft cluster. */
    public NodeConfig withReplication(ReplicationConfig value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, maxQueuedBytes, rollCycle,
                meterRegistry, value, checkpoints, retention);
    }

    public NodeConfig withCheckpoints(CheckpointConfig value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, maxQueuedBytes, rollCycle,
                meterRegistry, replication, value, retention);
    }

    public NodeConfig withRetention(RetentionConfig value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, maxQueuedBytes, rollCycle,
                meterRegistry, replication, checkpoints, value);
    }

    public NodeConfig withMeterRegistry(MeterRegistry value) {
        return new NodeConfig(dataDir, durability, idempotency, minOffsetTimeout, maxQueuedBytes, rollCycle,
                value, replication, checkpoints, retention);
    }
}

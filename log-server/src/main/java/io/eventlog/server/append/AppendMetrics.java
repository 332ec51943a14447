package io.eventlog.server.append;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The writer's meters: entries and bytes appended, append latency, group commit sizes. */
public final class AppendMetrics {
    private final Counter entries;
    private final Counter bytes;
    private final Counter rejected;
    private final Timer latency;
    private final DistributionSummary batchEntries;

    public AppendMetrics(MeterRegistry registry) {
        entries = Counter.builder("eventlog.appends").description("Entries appended and committed")
                .register(registry);
        bytes = Counter.builder("eventlog.append.bytes").description("Event data bytes appended")
                .baseUnit("bytes").register(registry);
        rejected = Counter.builder("eventlog.appends.rejected")
                .description("Appends refused: wrong expected version, overload or shutdown").register(registry);
        latency = Timer.builder("eventlog.append.latency")
                .description("From an append's arrival at the writer's queue to its acknowledgement")
                .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        batchEntries = DistributionSummary.builder("eventlog.commit.batch.size")
                .description("Entries written per group commit").baseUnit("entries")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** An append of {@code entryCount} events and {@code dataBytes} committed {@code latencyNanos} after it arrived. */
    public void committed(int entryCount, long dataBytes, long latencyNanos) {
        entries.increment(entryCount);
        bytes.increment(dataBytes);
        latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void rejected() {
        rejected.increment();
    }

    /** One write of {@code entryCount} entries to the log (a group commit, or a Raft batch). */
    public void groupCommit(int entryCount) {
        batchEntries.record(entryCount);
    }
}

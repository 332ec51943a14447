package io.eventlog.server.projection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running projection's meters in the node's registry (on {@code /metrics} when the HTTP API runs),
 * tagged {@code projection=<name>}: the offset it reflects (its lag is {@code eventlog.committed.offset}
 * minus it), the entries folded since its start, whether it failed, and its checkpoint writes.
 */
final class ProjectionMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final Timer checkpointWrites;
    private final List<Meter> meters;

    private ProjectionMetrics(MeterRegistry registry, ProjectionHandle<?> handle) {
        this.registry = registry;
        Tags tags = Tags.of("projection", handle.projection().name());
        this.checkpointWrites = Timer.builder("eventlog.projection.checkpoint.write").tags(tags)
                .description("Time to encode and write a projection checkpoint").register(registry);
        this.meters = List.of(checkpointWrites,
                Gauge.builder("eventlog.projection.offset", handle, ProjectionHandle::offset).tags(tags)
                        .description("The global offset the projection's state reflects").register(registry),
                FunctionCounter.builder("eventlog.projection.folded", handle, ProjectionHandle::foldedSinceStart)
                        .tags(tags).description("Entries folded since the projection started").register(registry),
                Gauge.builder("eventlog.projection.failed", handle, h -> h.failure() == null ? 0 : 1).tags(tags)
                        .description("1 once the projection's fold has failed").register(registry));
    }

    static ProjectionMetrics register(MeterRegistry registry, ProjectionHandle<?> handle) {
        return new ProjectionMetrics(registry, handle);
    }

    void checkpointWritten(long nanos) {
        checkpointWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the meters: a projection started again registers new ones. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}

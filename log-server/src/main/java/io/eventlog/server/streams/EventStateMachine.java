package io.eventlog.server.streams;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import java.time.Duration;

/**
 * The node's state derived from the log: each stream's versions and where they are stored, the
 * idempotency window and the last applied offset. It is the same whether built by the writer as it
 * appends or by replaying the log at start-up, which is what makes a restart lose nothing.
 *
 * <p>Mutated by one thread (the writer, or recovery before the writer starts). Stream lookups are
 * safe from any thread through {@link #streams()}.
 */
public final class EventStateMachine {
    private final StreamRegistry streams = new StreamRegistry();
    private final IdempotencyWindow idempotency;
    private long lastOffset = -1;

    public EventStateMachine(Duration idempotencyWindow) {
        this.idempotency = new IdempotencyWindow(idempotencyWindow.toMillis());
    }

    /** Checks an append against the state: Idempotency-Key first, then Expected-Version. */
    public AppendDecision decide(String stream, AppendOptions options, long now) {
        if (options.idempotencyKey() != null) {
            AppendResult original = idempotency.find(stream, options.idempotencyKey(), now);
            if (original != null) {
                return new AppendDecision.Duplicate(original);
            }
        }
        long actual = streams.lastVersion(stream);
        if (!options.expectedVersion().matches(actual)) {
            return new AppendDecision.Conflict(options.expectedVersion().value(), actual);
        }
        return new AppendDecision.Accept(actual + 1);
    }

    /** Applies one record that has been written to the log. */
    public void apply(StoredRecord record) {
        if (record.kind() != RecordKind.EVENT) {
            return;
        }
        if (record.offset() <= lastOffset) {
            throw new IllegalStateException("offset " + record.offset() + " applied after " + lastOffset);
        }
        long expectedVersion = streams.lastVersion(record.stream()) + 1;
        if (record.version() != expectedVersion) {
            throw new IllegalStateException("stream " + record.stream() + " version " + record.version()
                    + " applied where " + expectedVersion + " was next");
        }
        streams.append(record.stream(), record.offset());
        lastOffset = record.offset();
        if (record.idempotencyKey() != null) {
            int count = record.batchCount();
            AppendResult result = new AppendResult(record.stream(), record.offset(), record.version(),
                    record.offset() - (count - 1), record.version() - (count - 1), count);
            idempotency.remember(record.stream(), record.idempotencyKey(), result, record.timestamp());
        }
    }

    public StreamRegistry streams() {
        return streams;
    }

    public long lastOffset() {
        return lastOffset;
    }

    public int idempotencyKeys() {
        return idempotency.size();
    }
}

package io.eventlog.server.streams;

import io.eventlog.api.AppendResult;

/** What the state machine says of a proposed append, before it is written. */
public sealed interface AppendDecision {
    /** Write it; the stream's first new version is {@code nextVersion}. */
    record Accept(long nextVersion) implements AppendDecision {
    }

    /** An earlier append had the same Idempotency-Key: answer its result, write nothing. */
    record Duplicate(AppendResult original) implements AppendDecision {
    }

    /** Expected-Version does not hold. */
    record Conflict(long expected, long actual) implements AppendDecision {
    }
}

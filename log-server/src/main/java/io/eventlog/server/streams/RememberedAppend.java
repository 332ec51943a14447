package io.eventlog.server.streams;

import io.eventlog.api.AppendResult;

/**
 * An append the idempotency window remembers: a retry with the same stream and key gets
 * {@code result}; {@code timestamp} (the append's entry timestamp) says when it is forgotten.
 */
public record RememberedAppend(String key, AppendResult result, long timestamp) {
    public String stream() {
        return result.stream();
    }
}

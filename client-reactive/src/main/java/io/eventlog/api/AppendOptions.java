package io.eventlog.api;

import java.util.Objects;

/**
 * Conditions of an append.
 *
 * @param expectedVersion what the stream's last version must be
 * @param idempotencyKey  a key that makes a repeat of the same append return the original result; null for none
 */
public record AppendOptions(ExpectedVersion expectedVersion, String idempotencyKey) {
    public static final AppendOptions DEFAULT = new AppendOptions(ExpectedVersion.ANY, null);
    /** Longest idempotency key accepted, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;

    public AppendOptions {
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new EventLogException(ErrorCode.INVALID_HEADER,
                    "an idempotency key is 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
    }

    public AppendOptions withExpectedVersion(ExpectedVersion version) {
        return new AppendOptions(version, idempotencyKey);
    }

    public AppendOptions withIdempotencyKey(String key) {
        return new AppendOptions(expectedVersion, key);
    }
}

package io.eventlog.server.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the log a node keeps. Retention deletes whole queue files (one per roll cycle), oldest
 * first: a file whose last write is older than {@code maxAge}, and old files while the log is larger
 * than {@code maxBytes}. Never a file holding entries the newest checkpoint does not cover (nor, on a
 * single node, any kept checkpoint), nor the file being written.
 *
 * @param maxAge        files last written longer ago are deleted; {@link Duration#ZERO} for no limit
 * @param maxBytes      the log's files beyond this size are deleted, oldest first; 0 for no limit
 * @param checkInterval how often the limits are checked
 */
public record RetentionConfig(Duration maxAge, long maxBytes, Duration checkInterval) {

    /** Keeps everything. */
    public static final RetentionConfig NONE = new RetentionConfig(Duration.ZERO, 0, Duration.ofSeconds(10));

    public RetentionConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (maxAge.isNegative() || maxBytes < 0 || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("retention needs maxAge >= 0, maxBytes >= 0 and a checkInterval > 0");
        }
    }

    public boolean enabled() {
        return !maxAge.isZero() || maxBytes > 0;
    }

    public RetentionConfig withMaxAge(Duration value) {
        return new RetentionConfig(value, maxBytes, checkInterval);
    }

    public RetentionConfig withMaxBytes(long value) {
        return new RetentionConfig(maxAge, value, checkInterval);
    }

    public RetentionConfig withCheckInterval(Duration value) {
        return new RetentionConfig(maxAge, maxBytes, value);
    }
}

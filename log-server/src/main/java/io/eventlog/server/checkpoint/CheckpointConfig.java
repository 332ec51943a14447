package io.eventlog.server.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * When a node writes checkpoints and how many it keeps. A checkpoint is written when
 * {@code everyEntries} entries were applied since the last one or {@code interval} has passed with
 * something new to cover, whichever comes first, on clean close, and on demand.
 *
 * @param everyEntries entries applied between two checkpoints at most
 * @param interval     time between two checkpoints at most (when entries were applied meanwhile)
 * @param kept         how many checkpoint files are kept, newest first (older ones are deleted)
 */
public record CheckpointConfig(long everyEntries, Duration interval, int kept) {

    public CheckpointConfig {
        Objects.requireNonNull(interval, "interval");
        if (everyEntries < 1 || interval.isNegative() || interval.isZero() || kept < 1) {
            throw new IllegalArgumentException("checkpoints need everyEntries >= 1, an interval > 0 and kept >= 1");
        }
    }

    /** Every million entries or five minutes; three kept. */
    public static CheckpointConfig defaults() {
        return new CheckpointConfig(1_000_000, Duration.ofMinutes(5), 3);
    }

    public CheckpointConfig withEveryEntries(long value) {
        return new CheckpointConfig(value, interval, kept);
    }

    public CheckpointConfig withInterval(Duration value) {
        return new CheckpointConfig(everyEntries, value, kept);
    }

    public CheckpointConfig withKept(int value) {
        return new CheckpointConfig(everyEntries, interval, value);
    }
}

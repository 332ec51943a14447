package io.eventlog.server.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it: the fault tests wait on what the nodes say, never for a fixed time,
 * with deadlines generous enough for a loaded two-core machine.
 */
public final class Poll {
    private static final long INTERVAL_MILLIS = 50;

    private Poll() {
    }

    /**
     * Polls {@code probe} until it yields a value, and returns it.
     *
     * @param what   what is awaited, for the failure message
     * @param state  what things look like now, for the failure message
     * @throws AssertionError when the time is up first
     */
    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; "
                        + state.get());
            }
            sleep(INTERVAL_MILLIS);
        }
    }

    /** Sleeps, keeping the interrupt flag; for pacing loops, never as a condition. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

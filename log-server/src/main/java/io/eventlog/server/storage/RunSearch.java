package io.eventlog.server.storage;

import java.util.function.ToLongFunction;

/** Binary search over runs sorted by where they start (the offset and Raft indexes keep such runs). */
public final class RunSearch {
    private RunSearch() {
    }

    /** The position of the last run that starts at or before {@code key}, or -1 when every run starts after it. */
    public static <T> int lastStartingAtOrBefore(T[] runs, ToLongFunction<T> start, long key) {
        int low = 0;
        int high = runs.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (start.applyAsLong(runs[mid]) <= key) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }
}

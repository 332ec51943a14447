package io.eventlog.server.storage;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One file of the queue: the records of one roll cycle.
 *
 * @param firstQueueIndex the queue index of the cycle's first record (whether or not it was written)
 */
public record CycleFile(int cycle, Path file, long bytes, Instant lastModified, long firstQueueIndex) {
}

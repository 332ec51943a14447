package io.eventlog.server.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint on disk: the last offset it covers and its file. {@link #NONE} (offset -1, no file)
 * answers a request for a checkpoint of an empty log, which has nothing to cover.
 */
public record Checkpoint(long offset, Path file) {
    public static final Checkpoint NONE = new Checkpoint(-1, null);
}

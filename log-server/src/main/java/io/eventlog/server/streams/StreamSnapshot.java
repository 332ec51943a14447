package io.eventlog.server.streams;

/**
 * One stream's versions at the moment of a checkpoint: version v is stored at {@link #offsetOf}(v),
 * for v below {@link #versions()}. It shares the live index's chunks, which is safe because a
 * chunk's filled slots are never written again.
 */
public final class StreamSnapshot {
    private final String stream;
    private final long[][] chunks;
    private final int versions;

    StreamSnapshot(String stream, long[][] chunks, int versions) {
        this.stream = stream;
        this.chunks = chunks;
        this.versions = versions;
    }

    public String stream() {
        return stream;
    }

    public int versions() {
        return versions;
    }

    public long offsetOf(int version) {
        return StreamIndex.offsetIn(chunks, version);
    }
}

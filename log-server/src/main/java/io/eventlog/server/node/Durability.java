package io.eventlog.server.node;

/** When an append is acknowledged, and what it then survives. */
public enum Durability {
    /**
     * Written to the memory-mapped queue before the acknowledgement: survives a crash of the process
     * (the operating system writes the pages out), not a power loss or kernel crash.
     */
    PROCESS,
    /**
     * Written and msync'ed (MS_SYNC) before the acknowledgement, one msync per group commit: survives
     * power loss.
     */
    FSYNC
}

package io.eventlog.replication;

/** Volatile state the driver may want to observe: role, known leader (0 = unknown) and term. */
public record SoftState(Role role, long leader, long term) {
}

package io.eventlog.api;

/**
 * The outcome of a committed append (API.md 201 body). For one event the first_* equal offset/version.
 *
 * @param offset       offset of the last appended entry
 * @param version      stream version of the last appended entry
 * @param firstOffset  offset of the first appended entry
 * @param firstVersion stream version of the first appended entry
 * @param count        number of entries appended
 */
public record AppendResult(String stream, long offset, long version, long firstOffset, long firstVersion, int count) {
}

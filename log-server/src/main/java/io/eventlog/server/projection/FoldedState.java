package io.eventlog.server.projection;

/**
 * A projection's state and the global offset it reflects: every selected entry up to and including
 * {@code offset} is folded into it, none after. Offset 0 is the initial state (offsets start at 1).
 */
public record FoldedState<S>(long offset, S state) {
}

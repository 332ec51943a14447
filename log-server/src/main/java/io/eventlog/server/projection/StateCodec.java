package io.eventlog.server.projection;

/**
 * Turns a projection's state into bytes for its checkpoint file and back. {@code decode(encode(s))}
 * must give a state equal to {@code s}; a codec that cannot decode a checkpoint's bytes throws, and
 * that checkpoint is passed over (see {@link Projections}).
 */
public interface StateCodec<S> {
    byte[] encode(S state) throws Exception;

    S decode(byte[] bytes) throws Exception;
}

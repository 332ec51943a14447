package io.eventlog.server.projection;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/** A {@link StateCodec} that writes the state as JSON with Jackson (records and collections work as they are). */
public final class JacksonStateCodec<S> implements StateCodec<S> {
    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    private final ObjectMapper mapper;
    private final JavaType type;

    private JacksonStateCodec(ObjectMapper mapper, JavaType type) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** For a state of a plain class or record. */
    public static <S> JacksonStateCodec<S> of(Class<S> type) {
        return new JacksonStateCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    /** For a generic state, e.g. {@code new TypeReference<Map<String, Long>>() {}}. */
    public static <S> JacksonStateCodec<S> of(TypeReference<S> type) {
        return new JacksonStateCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    /** With the application's own mapper (modules, naming, ...). */
    public static <S> JacksonStateCodec<S> of(ObjectMapper mapper, TypeReference<S> type) {
        return new JacksonStateCodec<>(mapper, mapper.constructType(type));
    }

    @Override
    public byte[] encode(S state) throws IOException {
        return mapper.writeValueAsBytes(state);
    }

    @Override
    public S decode(byte[] bytes) throws IOException {
        return mapper.readValue(bytes, type);
    }
}

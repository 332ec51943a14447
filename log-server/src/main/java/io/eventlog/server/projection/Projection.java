package io.eventlog.server.projection;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an application derives from the log: a name (its checkpoints live under
 * {@code <data>/projections/<name>/}), an initial state, a fold over the selected entries, and a codec
 * for the state. Its {@code version} says which definition wrote a checkpoint: change it whenever the
 * fold, the state's shape or its meaning change incompatibly, and the projection starts from scratch
 * instead of resuming from a state the new fold does not understand.
 *
 * <pre>{@code
 * Projection<Balances> balances = Projection.of("balances", Balances.EMPTY, Balances::apply,
 *         JacksonStateCodec.of(Balances.class)).selecting(EntrySelection.streamPrefix("account-"));
 * }</pre>
 *
 * @param name      1 to 100 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit
 * @param version   the definition's version, 1 unless set
 * @param selection the entries folded, the whole log unless set
 */
public record Projection<S>(String name, int version, EntrySelection selection, S initialState,
                            ProjectionFold<S> fold, StateCodec<S> codec) {
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public Projection {
        requireValidName(name);
        if (version < 1) {
            throw new IllegalArgumentException("projection " + name + ": the version is >= 1, was " + version);
        }
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(fold, "fold");
        Objects.requireNonNull(codec, "codec");
    }

    /** Version 1, over the whole log. */
    public static <S> Projection<S> of(String name, S initialState, ProjectionFold<S> fold, StateCodec<S> codec) {
        return new Projection<>(name, 1, EntrySelection.all(), initialState, fold, codec);
    }

    public Projection<S> withVersion(int value) {
        return new Projection<>(name, value, selection, initialState, fold, codec);
    }

    public Projection<S> selecting(EntrySelection value) {
        return new Projection<>(name, version, value, initialState, fold, codec);
    }

    private static void requireValidName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches() || name.contains("..")) {
            String shown = name == null ? "null" : "'" + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "'";
            throw new IllegalArgumentException("invalid projection name " + shown + ": it names a directory, so it is"
                    + " 1 to 100 characters of [A-Za-z0-9._-], starting with a letter or digit, without '..'");
        }
    }
}

package io.eventlog.server.projection;

import io.eventlog.api.Entry;
import io.eventlog.api.StreamName;
import java.util.Objects;

/**
 * Which entries a projection folds: one stream, the streams whose names start with a prefix, or the
 * whole global log. Its {@link #key()} is stored in checkpoints, so a projection whose selection
 * changed does not resume from a state folded over other entries.
 */
public final class EntrySelection {
    private enum Kind { LOG, STREAM, PREFIX }

    private final Kind kind;
    private final String value;

    private EntrySelection(Kind kind, String value) {
        this.kind = kind;
        this.value = value;
    }

    /** Every entry of the global log. */
    public static EntrySelection all() {
        return new EntrySelection(Kind.LOG, "");
    }

    /** The entries of one stream. */
    public static EntrySelection stream(String name) {
        return new EntrySelection(Kind.STREAM, StreamName.requireValid(name));
    }

    /** The entries of every stream whose name starts with {@code prefix} (e.g. {@code "account-"}). */
    public static EntrySelection streamPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("a stream prefix is not empty: use EntrySelection.all() for every stream");
        }
        return new EntrySelection(Kind.PREFIX, prefix);
    }

    public boolean includes(Entry entry) {
        return switch (kind) {
            case LOG -> true;
            case STREAM -> entry.stream().equals(value);
            case PREFIX -> entry.stream().startsWith(value);
        };
    }

    /** {@code log}, {@code stream:<name>} or {@code prefix:<prefix>}. */
    public String key() {
        return kind == Kind.LOG ? "log" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntrySelection other && kind == other.kind && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    @Override
    public String toString() {
        return key();
    }
}

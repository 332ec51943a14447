package io.eventlog.benchmarks.storage;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for counts that may be written with underscores, as Java literals are: 10_000_000. */
public final class UnderscoredNumber {
    private UnderscoredNumber() {
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    /** A {@code long}, underscores allowed. */
    public static final class ToLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }

    /** An {@code int}, underscores allowed. */
    public static final class ToInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long n = parse(value);
            if (n != (int) n) {
                throw new TypeConversionException("'" + value + "' is out of range for an int");
            }
            return (int) n;
        }
    }
}

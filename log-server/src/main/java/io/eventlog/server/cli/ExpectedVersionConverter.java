package io.eventlog.server.cli;

import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --expected-version N|any|no-stream} (-1 is accepted for no-stream, as on the wire). */
final class ExpectedVersionConverter implements ITypeConverter<ExpectedVersion> {
    @Override
    public ExpectedVersion convert(String value) {
        switch (value) {
            case "any":
                return ExpectedVersion.ANY;
            case "no-stream":
            case "-1":
                return ExpectedVersion.NO_STREAM;
            default:
                try {
                    return ExpectedVersion.exactly(Long.parseLong(value));
                } catch (NumberFormatException | EventLogException e) {
                    throw new TypeConversionException("'" + value + "' is not a version >= 0, 'any' or 'no-stream'");
                }
        }
    }

    /** The Expected-Version header value of API.md. */
    static String headerValue(ExpectedVersion version) {
        if (version.isAny()) {
            return "any";
        }
        return version.value() == -1 ? "no-stream" : Long.toString(version.value());
    }
}

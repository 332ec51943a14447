package io.eventlog.server.cli;

import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every client command shares: which node to talk to, and how long to wait. */
public final class ConnectionOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:7070";

    @Option(names = "--url", paramLabel = "URL", converter = BaseUrlConverter.class,
            defaultValue = "${env:EVENTLOG_URL:-" + DEFAULT_URL + "}",
            description = "The node's base URL (default: $EVENTLOG_URL, else " + DEFAULT_URL + ").")
    URI url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds to wait for a connection and for an answer (tail waits for entries forever). Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    NodeClient client() {
        if (timeoutSeconds < 1) {
            throw new CliException(ExitCodes.USAGE, "--timeout must be at least 1 second, was " + timeoutSeconds);
        }
        return new NodeClient(url, Duration.ofSeconds(timeoutSeconds));
    }

    /** Accepts an absolute http(s) URL with a host, and drops a trailing slash. */
    static final class BaseUrlConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            URI uri;
            try {
                uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            } catch (java.net.URISyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a URL: " + e.getReason());
            }
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new TypeConversionException("'" + value + "' is not a node URL such as " + DEFAULT_URL);
            }
            return uri;
        }
    }
}

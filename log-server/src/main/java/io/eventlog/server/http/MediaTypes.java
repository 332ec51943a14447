package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.List;
import java.util.Locale;

/** Content-Type and Accept rules of the API. */
final class MediaTypes {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String EVENT_STREAM = "text/event-stream";
    static final String FORM = "application/x-www-form-urlencoded";

    /** How an append body is framed. */
    enum BodyFormat {
        /** The whole body is one JSON value. */
        SINGLE,
        /** One JSON value per line. */
        NDJSON
    }

    private MediaTypes() {
    }

    /**
     * The framing of an append body: a missing type, {@code application/json} and curl's default
     * {@code application/x-www-form-urlencoded} are one JSON value; {@code application/x-ndjson} is a
     * batch. A charset other than UTF-8, or any other type, is 415 {@code unsupported_media_type}.
     */
    static BodyFormat bodyFormat(String contentType) {
        if (contentType == null || contentType.isBlank() || contentType.equals(JSON)) {
            return BodyFormat.SINGLE;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2
                    && !unquote(param[1].trim()).equalsIgnoreCase("utf-8")) {
                throw unsupported(contentType);
            }
        }
        return switch (type) {
            case JSON, FORM -> BodyFormat.SINGLE;
            case NDJSON -> BodyFormat.NDJSON;
            default -> throw unsupported(contentType);
        };
    }

    /**
     * Which of the offered types an Accept header prefers: the one listed with the highest
     * quality (ties: the one listed first); {@code fallback} when the header is absent, lists none
     * of them or only wildcards.
     */
    static String preferred(String accept, List<String> offered, String fallback) {
        if (accept == null || accept.isBlank()) {
            return fallback;
        }
        String best = fallback;
        double bestQuality = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            if (offered.contains(type) && quality > bestQuality) {
                best = type;
                bestQuality = quality;
            }
        }
        return best;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(param[1].trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static EventLogException unsupported(String contentType) {
        return new EventLogException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + contentType
                + " is not supported; use " + JSON + " (one event) or " + NDJSON + " (a batch)");
    }
}

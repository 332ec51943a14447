package io.eventlog.client.http;

import io.eventlog.api.Entry;
import io.eventlog.wire.EntryCodec;
import io.eventlog.wire.ErrorBody;
import java.nio.charset.StandardCharsets;

/**
 * One NDJSON line of a read or subscription body: an entry, or the error line a node ends a failed
 * stream with ({@code {"error": ..., "message": ...}}), which becomes the error's exception.
 */
final class EntryLines {
    private static final byte[] ERROR_START = "{\"error\"".getBytes(StandardCharsets.US_ASCII);

    private EntryLines() {
    }

    /** The entry on the line; throws the node's error when the line is an error line. */
    static Entry decode(byte[] line, String stream) {
        if (startsWithError(line)) {
            throw HttpErrors.withSpecificType(ErrorBody.decode(line).toException(stream), stream);
        }
        return EntryCodec.decode(line);
    }

    private static boolean startsWithError(byte[] line) {
        int i = 0;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (line.length - i < ERROR_START.length) {
            return false;
        }
        for (int j = 0; j < ERROR_START.length; j++) {
            if (line[i + j] != ERROR_START[j]) {
                return false;
            }
        }
        return true;
    }
}

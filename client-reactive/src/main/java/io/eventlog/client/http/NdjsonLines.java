package io.eventlog.client.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the chunks of an NDJSON body into lines, carrying a partial line over to the next chunk.
 * Blank lines are dropped. One instance per body: it keeps the partial line.
 */
final class NdjsonLines {
    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    NdjsonLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The lines this chunk completes, without their line breaks. */
    List<byte[]> next(byte[] chunk) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                take(chunk, start, i, lines);
                start = i + 1;
            }
        }
        if (partial.size() + chunk.length - start > maxLineBytes) {
            throw new EventLogException(ErrorCode.TOO_LARGE, "an NDJSON line is longer than " + maxLineBytes + " bytes");
        }
        partial.write(chunk, start, chunk.length - start);
        return lines;
    }

    /** Whether bytes of an unfinished line are held. */
    boolean hasPartialLine() {
        return partial.size() > 0;
    }

    private void take(byte[] chunk, int start, int end, List<byte[]> lines) {
        byte[] line;
        if (partial.size() == 0) {
            line = Arrays.copyOfRange(chunk, start, end);
        } else {
            partial.write(chunk, start, end - start);
            line = partial.toByteArray();
            partial.reset();
        }
        int length = line.length;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (!isBlank(line, length)) {
            lines.add(length == line.length ? line : Arrays.copyOf(line, length));
        }
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}

package io.eventlog.server.testing;

/**
 * Reads a Server-Sent Events stream line by line, as an EventSource does: {@code id:}, {@code event:} and
 * {@code data:} fields build an event that a blank line completes; comment lines (a heartbeat) and blank
 * lines without data dispatch nothing. One reader per stream; not thread-safe.
 */
final class SseEventReader {

    /** One event: its {@code id} (null if none was sent), its type ({@code message} unless named) and data. */
    record SseEvent(String id, String event, String data) {
    }

    private String id;
    private String event;
    private StringBuilder data;

    /** Takes the next line (without its line end); returns the event it completes, or null. */
    SseEvent accept(String line) {
        if (line.isEmpty()) {
            SseEvent complete = data == null ? null
                    : new SseEvent(id, event == null ? "message" : event, data.toString());
            event = null;
            data = null;
            return complete;
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry and unknown fields: nothing the tests need
            }
        }
        return null;
    }
}

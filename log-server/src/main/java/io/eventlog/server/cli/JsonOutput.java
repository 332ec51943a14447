package io.eventlog.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** How the commands show JSON: pretty for humans (cluster), and exactly as received for entries and results. */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** The JSON text indented; text that is not JSON is returned unchanged. */
    static String pretty(String json) {
        try {
            return MAPPER.writeValueAsString(MAPPER.readTree(json));
        } catch (JsonProcessingException notJson) {
            return json.strip();
        }
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    /** A single-line JSON answer (an append result) without trailing whitespace. */
    static String line(String json) {
        return json.strip();
    }
}

package io.eventlog.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strings come out as the JSON string literal Jackson writes, whether copied as they are or escaped. */
class JsonOutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"", "orders-17", "a \"quoted\" word", "back\\slash", "tab\there", "line\nbreak",
        "caf\u00e9", "\u0001\u001f\u007f", "emoji \ud83d\ude00", "~ and space"})
    void writesTheJsonLiteralOfAString(String value) throws Exception {
        assertEquals(JSON.writeValueAsString(value), new JsonOut().string(value).toString());
    }
}

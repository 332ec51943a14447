package io.eventlog.server.append;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The quick check accepts plain events, and never anything Jackson's strict parser refuses. */
class PlainJsonTest {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String[] PIECES = {"{", "}", "[", "]", ",", ":", "\"", "\"k\"", "\"v\\\"q\"", "\\", "\\u0041",
        "\\n", "\\x", "0", "1", "-", "01", "1.5", "1.", ".5", "1e5", "1E+2", "-0", "2e", "true", "false", "null",
        "tru", "nul", "NaN", "Infinity", " ", "\t", "\u0001", "é", "x", "'", "/*", "//", "\u007f"};

    @ParameterizedTest
    @ValueSource(strings = {"{\"load\":\"xxxxxxxx\"}", "{}", "[]", "0", "-12.5e-3", "\"text\"", "true", "null",
        " { \"a\" : [1, 2.0, -3e+4, {\"b\": null}], \"c\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\" } ",
        "{\"total\":42,\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"paid\":false}"})
    void plainEventsNeedNoParser(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertTrue(jacksonAccepts(bytes), json);
        assertTrue(PlainJson.isPlainValue(bytes), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\":1,}", "[1,]", "01", "1.", "-", "NaN", "{\"a\" 1}", "{a:1}",
        "'x'", "[1 2]", "truex", "1 2", "{}{}", "\"\\u0041\"", "\"caf\u00e9\"", "\"tab\there\"", "[1]]",
        "{\"a\":\n1}", "1\r\n", "\"line\nbreak\"", "\n", " \t "})
    void anythingElseIsLeftToJackson(String json) {
        assertFalse(PlainJson.isPlainValue(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @Test
    void longStringsAndDeepNestingAreLeftToJackson() {
        assertFalse(PlainJson.isPlainValue(("{\"" + "n".repeat(60_000) + "\":1}").getBytes(StandardCharsets.UTF_8)));
        assertFalse(PlainJson.isPlainValue(("[".repeat(300) + "]".repeat(300)).getBytes(StandardCharsets.UTF_8)));
        assertTrue(PlainJson.isPlainValue(("[".repeat(200) + "]".repeat(200)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void neverAcceptsWhatJacksonRefuses() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            int pieces = 1 + random.nextInt(12);
            for (int j = 0; j < pieces; j++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (PlainJson.isPlainValue(bytes)) {
                accepted++;
                assertTrue(jacksonAccepts(bytes), text.toString());
            }
        }
        assertTrue(accepted > 1000, "only " + accepted + " random inputs were plain JSON");
    }

    private static boolean jacksonAccepts(byte[] bytes) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }
}

package io.eventlog.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Entry entry(String data) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace-id", "t\"1\u00e9");
        return new Entry(1042, "orders-17", 3, 1763800000000L, "OrderPlaced", headers,
                data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheContractShape() throws Exception {
        byte[] json = EntryCodec.encode(entry("{\"any\":\"json\"}"));
        JsonNode node = MAPPER.readTree(json);
        assertEquals(1042, node.get("offset").asLong());
        assertEquals("orders-17", node.get("stream").asText());
        assertEquals(3, node.get("version").asLong());
        assertEquals(1763800000000L, node.get("timestamp").asLong());
        assertEquals("OrderPlaced", node.get("type").asText());
        assertEquals("t\"1\u00e9", node.get("headers").get("trace-id").asText());
        assertEquals(MAPPER.readTree("{\"any\":\"json\"}"), node.get("data"));
        assertEquals(List.of("offset", "stream", "version", "timestamp", "type", "headers", "data"),
                iterableToList(node.fieldNames()));
    }

    @Test
    void leavesOutTypeAndHeadersWhenAbsent() throws Exception {
        Entry plain = new Entry(1, "s", 0, 5, null, Map.of(), "7".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"offset\":1,\"stream\":\"s\",\"version\":0,\"timestamp\":5,\"data\":7}",
                new String(EntryCodec.encode(plain), StandardCharsets.UTF_8));
    }

    @Test
    void writesPrettyPrintedDataOnOneLine() throws Exception {
        String pretty = "{\r\n  \"a\": [1,\n 2],\n  \"b\": \"x y\"\n}";
        byte[] json = EntryCodec.encode(entry(pretty));
        String text = new String(json, StandardCharsets.UTF_8);
        assertEquals(-1, text.indexOf('\n'));
        assertEquals(-1, text.indexOf('\r'));
        assertEquals(MAPPER.readTree(pretty), MAPPER.readTree(json).get("data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"any\":\"json\",\"n\":[1,2,{\"x\":null}]}", "[]", "\"a \\\"quoted\\\" string\"",
            "123", "-0.5e10", "true", "false", "null", "{}", "\"\u00fc\u20ac\""})
    void readsDataBackByteForByte(String data) {
        Entry original = entry(data);
        Entry decoded = EntryCodec.decode(EntryCodec.encode(original));
        assertEquals(original, decoded);
        assertArrayEquals(data.getBytes(StandardCharsets.UTF_8), decoded.data());
    }

    @Test
    void readsDataWhereverItStandsAndInsideALargerBuffer() {
        String json = "xx{ \"data\" : 12 , \"stream\":\"s\",\"offset\":9,\"version\":2,\"timestamp\":1,"
                + "\"extra\":{\"ignored\":[1]} }yy";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Entry decoded = EntryCodec.decode(bytes, 2, bytes.length - 4);
        assertEquals("12", decoded.dataAsString());
        assertEquals(9, decoded.offset());
        assertEquals(null, decoded.type());
        assertEquals(Map.of(), decoded.headers());
    }

    @Test
    void readsAnArrayOfEntries() {
        Entry a = entry("{\"n\":1}");
        Entry b = new Entry(1043, "other", 0, 2, null, Map.of(), "[1, 2]".getBytes(StandardCharsets.UTF_8));
        String array = " [" + new String(EntryCodec.encode(a), StandardCharsets.UTF_8) + " ,\n"
                + new String(EntryCodec.encode(b), StandardCharsets.UTF_8) + "] ";
        assertEquals(List.of(a, b), EntryCodec.decodeArray(array.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), EntryCodec.decodeArray("[]".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"offset\":1}", "{\"offset\":1,\"stream\":\"s\",\"version\":0,\"data\":1} x",
            "{\"offset\":1,\"stream\":\"s\",\"version\":0,\"data\":"})
    void rejectsWhatIsNotAnEntry(String json) {
        EventLogException e = assertThrows(EventLogException.class,
                () -> EntryCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INVALID_JSON, e.code());
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}

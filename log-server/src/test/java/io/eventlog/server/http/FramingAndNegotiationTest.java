package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.wire.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SSE and NDJSON frames byte for byte, and the Content-Type / Accept rules. */
class FramingAndNegotiationTest {
    private static final Entry ENTRY = new Entry(1042, "orders-17", 3, 1763800000000L, "OrderPlaced",
            Map.of("k", "v"), "{\n  \"any\": \"json\"\n}".getBytes(StandardCharsets.UTF_8));
    private static final String ENTRY_JSON = "{\"offset\":1042,\"stream\":\"orders-17\",\"version\":3,"
            + "\"timestamp\":1763800000000,\"type\":\"OrderPlaced\",\"headers\":{\"k\":\"v\"},"
            + "\"data\":{   \"any\": \"json\" }}";

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void sseFramesAStreamEntryWithItsVersionAndALogEntryWithItsOffset() {
        assertEquals("id: 3\nevent: entry\ndata: " + ENTRY_JSON + "\n\n", text(new SseEncoder(false).entry(ENTRY)));
        assertEquals("id: 1042\nevent: entry\ndata: " + ENTRY_JSON + "\n\n", text(new SseEncoder(true).entry(ENTRY)));
        assertEquals(":heartbeat\n\n", text(new SseEncoder(true).heartbeat()));
        assertEquals("event: error\ndata: {\"error\":\"internal\",\"message\":\"m\"}\n\n",
                text(new SseEncoder(true).error(ErrorBody.of(ErrorCode.INTERNAL, "m"))));
        assertEquals("text/event-stream", new SseEncoder(true).contentType());
    }

    @Test
    void ndjsonFramesOneEntryPerLineAndHasNoHeartbeat() {
        assertEquals(ENTRY_JSON + "\n", text(NdjsonEncoder.INSTANCE.entry(ENTRY)));
        assertEquals("{\"error\":\"timeout\",\"message\":\"m\"}\n",
                text(NdjsonEncoder.INSTANCE.error(ErrorBody.of(ErrorCode.TIMEOUT, "m"))));
        assertNull(NdjsonEncoder.INSTANCE.heartbeat());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|SINGLE", "''|SINGLE", "application/json|SINGLE", "Application/JSON; charset=utf-8|SINGLE",
            "application/json;charset=\"UTF-8\"|SINGLE", "application/x-www-form-urlencoded|SINGLE",
            "application/x-ndjson|NDJSON", "application/x-ndjson; charset=utf-8|NDJSON"})
    void bodyFormats(String contentType, MediaTypes.BodyFormat format) {
        assertEquals(format, MediaTypes.bodyFormat(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/json; charset=latin1", "application/xml", "*/*"})
    void otherContentTypesAre415(String contentType) {
        EventLogException e = assertThrows(EventLogException.class, () -> MediaTypes.bodyFormat(contentType));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, e.code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|application/json", "*/*|application/json", "application/json|application/json",
            "application/x-ndjson|application/x-ndjson", "text/html|application/json",
            "application/json;q=0.5, application/x-ndjson|application/x-ndjson",
            "application/x-ndjson;q=0.2, application/json;q=0.9|application/json",
            "application/x-ndjson, application/json|application/x-ndjson",
            "application/x-ndjson;q=0|application/json"})
    void readAcceptNegotiation(String accept, String chosen) {
        assertEquals(chosen, MediaTypes.preferred(accept, List.of(MediaTypes.JSON, MediaTypes.NDJSON),
                MediaTypes.JSON));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null|application/x-ndjson", "*/*|application/x-ndjson", "text/event-stream|text/event-stream",
            "text/html, text/event-stream;q=0.8|text/event-stream", "application/json|application/x-ndjson"})
    void subscribeAcceptNegotiation(String accept, String chosen) {
        assertEquals(chosen, MediaTypes.preferred(accept, List.of(MediaTypes.EVENT_STREAM, MediaTypes.NDJSON),
                MediaTypes.NDJSON));
    }
}

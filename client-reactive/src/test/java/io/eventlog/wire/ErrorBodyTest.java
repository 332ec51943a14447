package io.eventlog.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void writesErrorAndMessage() {
        ErrorBody body = ErrorBody.of(ErrorCode.INVALID_STREAM, "bad \"name\"");
        assertEquals("{\"error\":\"invalid_stream\",\"message\":\"bad \\\"name\\\"\"}",
                new String(body.encode(), StandardCharsets.UTF_8));
    }

    @Test
    void aVersionConflictCarriesIntegerExpectedAndActual() {
        ErrorBody body = ErrorBody.of(new WrongExpectedVersionException("s", -1, 4));
        String json = new String(body.encode(), StandardCharsets.UTF_8);
        assertEquals("{\"error\":\"wrong_expected_version\",\"message\":\"stream 's' is at version 4, the append "
                + "expected -1\",\"expected\":-1,\"actual\":4}", json);

        ErrorBody decoded = ErrorBody.decode(body.encode());
        assertEquals(Map.of("expected", -1L, "actual", 4L), decoded.extra());
        WrongExpectedVersionException e = assertInstanceOf(WrongExpectedVersionException.class,
                decoded.toException("s"));
        assertEquals(-1, e.expected());
        assertEquals(4, e.actual());
    }

    @Test
    void unknownCodesSurviveAndMapToInternal() {
        ErrorBody decoded = ErrorBody.decode(
                "{\"error\":\"brand_new\",\"message\":\"m\",\"retry\":true,\"nested\":{\"x\":1}}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals("brand_new", decoded.error());
        assertEquals(Map.of("retry", true), decoded.extra());
        EventLogException e = decoded.toException(null);
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("m", e.getMessage());
    }
}

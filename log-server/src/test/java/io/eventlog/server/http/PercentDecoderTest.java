package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentDecoderTest {

    @ParameterizedTest
    @CsvSource({"plain,plain", "a%3Ab,a:b", "a%3ab,a:b", "a+b,a+b", "%41%42,AB", "caf%C3%A9,caf\u00e9"})
    void decodesPathSegments(String raw, String decoded) {
        assertEquals(decoded, PercentDecoder.decodeStreamName(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%ZZ", "%4", "abc%", "%C3%28", "%FF"})
    void refusesBrokenEscapesAndBadUtf8(String raw) {
        EventLogException e = assertThrows(EventLogException.class, () -> PercentDecoder.decodeStreamName(raw));
        assertEquals(ErrorCode.INVALID_STREAM, e.code());
    }
}

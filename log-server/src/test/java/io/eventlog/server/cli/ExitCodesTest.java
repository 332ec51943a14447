package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "409, wrong_expected_version, 4",
        "409, null, 4",
        "404, stream_not_found, 5",
        "404, not_found, 1",
        "400, invalid_json, 2",
        "400, invalid_stream, 2",
        "413, too_large, 2",
        "415, unsupported_media_type, 2",
        "405, method_not_allowed, 1",
        "410, offset_expired, 1",
        "500, internal, 1",
        "503, no_leader, 1",
        "502, null, 1"})
    void mapsAnAnswerToItsExitCode(int status, String code, int exitCode) {
        assertEquals(exitCode, ExitCodes.forResponse(status, code));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "409|{\"error\":\"wrong_expected_version\",\"message\":\"m\",\"expected\":-1,\"actual\":4}|HTTP 409 wrong_expected_version: m (expected -1, actual 4)",
        "413|{\"error\":\"too_large\",\"message\":\"over 1 MiB\"}|HTTP 413 too_large: over 1 MiB",
        "500|''|HTTP 500",
        "500|[1,2]|HTTP 500: [1,2]"})
    void describesAnErrorAnswer(int status, String body, String described) {
        assertEquals(described, ErrorResponse.parse(status, body).describe());
    }
}

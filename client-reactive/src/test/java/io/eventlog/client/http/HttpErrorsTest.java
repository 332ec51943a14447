package io.eventlog.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.StreamNotFoundException;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.client.transport.LeaderRedirectException;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeUnreachableException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What each kind of failed exchange becomes. */
class HttpErrorsTest {
    private static final NodeAddress NODE = new NodeAddress("127.0.0.1", 7071);
    private static final HttpHeaders NONE = new DefaultHttpHeaders();

    @Test
    void aVersionConflictKeepsItsNumbers() {
        EventLogException e = answer(409, "{\"error\":\"wrong_expected_version\",\"message\":\"m\",\"expected\":2,\"actual\":4}");
        WrongExpectedVersionException wrong = assertInstanceOf(WrongExpectedVersionException.class, e);
        assertEquals(2, wrong.expected());
        assertEquals(4, wrong.actual());
    }

    @Test
    void aMissingStreamIsStreamNotFound() {
        assertInstanceOf(StreamNotFoundException.class, answer(404, "{\"error\":\"stream_not_found\",\"message\":\"m\"}"));
    }

    @Test
    void otherErrorsKeepTheNodesCodeAndMessage() {
        EventLogException e = answer(400, "{\"error\":\"invalid_header\",\"message\":\"Expected-Version is not a number\"}");
        assertEquals(ErrorCode.INVALID_HEADER, e.code());
        assertEquals("Expected-Version is not a number", e.getMessage());
        assertEquals(ErrorCode.NO_LEADER, answer(503, "{\"error\":\"no_leader\",\"message\":\"m\"}").code());
    }

    @Test
    void aBodyThatIsNotOursIsJudgedByItsStatus() {
        EventLogException e = answer(502, "<html>Bad Gateway</html>");
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("HTTP 502") && e.getMessage().contains("Bad Gateway"), e.getMessage());
        assertEquals(ErrorCode.TIMEOUT, answer(504, "").code());
    }

    @Test
    void aRedirectNamesTheLeader() {
        HttpHeaders headers = new DefaultHttpHeaders().set("Location", "http://127.0.0.1:7072/v1/streams/s");
        EventLogException e = HttpErrors.fromAnswer(NODE, 307, headers, new byte[0], "s");
        assertEquals(new NodeAddress("127.0.0.1", 7072), assertInstanceOf(LeaderRedirectException.class, e).leader());
    }

    @Test
    void connectionFailuresAndTimeoutsBecomeRetryableErrors() {
        Throwable refused = HttpErrors.fromFailure(NODE, new ConnectException("refused"), Duration.ofSeconds(1));
        assertEquals(NODE, assertInstanceOf(NodeUnreachableException.class, refused).node());
        Throwable late = HttpErrors.fromFailure(NODE, new TimeoutException(), Duration.ofSeconds(1));
        assertEquals(ErrorCode.TIMEOUT, ((EventLogException) late).code());
    }

    private static EventLogException answer(int status, String body) {
        return HttpErrors.fromAnswer(NODE, status, NONE, body.getBytes(StandardCharsets.UTF_8), "s");
    }
}

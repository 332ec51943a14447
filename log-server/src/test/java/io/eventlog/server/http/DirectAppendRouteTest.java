package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eventlog.api.ExpectedVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Which requests are served directly: whole, well-formed appends; everything else stays with reactor-netty. */
class DirectAppendRouteTest {
    private static final long MAX_BODY = 1000;

    private final DirectAppendRoute route;

    DirectAppendRouteTest() {
        ErrorResponder errors = new ErrorResponder();
        AppendHandler appends = new AppendHandler(null, HttpConfig.defaults().withMaxBodyBytes(MAX_BODY), errors);
        Router router = new Router()
                .add(HttpMethod.POST, "/v1/streams/{stream}", appends)
                .add(HttpMethod.GET, "/v1/streams/{stream}", (request, response, param) -> null)
                .add(HttpMethod.POST, "/v1/cluster/leader", (request, response, param) -> null);
        route = new DirectAppendRoute(router, appends, new HttpMetrics(new SimpleMeterRegistry(), new SubscriberGate(1)),
                MAX_BODY);
    }

    private static HttpRequest request(HttpMethod method, String uri, String... headerPairs) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.headers().add(headerPairs[i], headerPairs[i + 1]);
        }
        return request;
    }

    @Test
    void aWholeAppendIsServedDirectlyWithWhatItsHeadSays() {
        DirectAppendRoute.Request accepted = route.accept(request(HttpMethod.POST, "/v1/streams/orders%2D1?x=1",
                "Content-Length", "12", "Expected-Version", "4", "Idempotency-Key", "k1", "Connection", "close"));
        assertNotNull(accepted);
        assertEquals("orders-1", accepted.head().stream());
        assertEquals(ExpectedVersion.exactly(4), accepted.head().options().expectedVersion());
        assertEquals("k1", accepted.head().options().idempotencyKey());
        assertEquals(12, accepted.contentLength());
        assertEquals("/v1/streams/{stream}", accepted.route());
        assertEquals(false, accepted.keepAlive());
        assertNotNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "1000",
                "Content-Type", "application/x-ndjson")), "a batch at the size limit");
        assertNotNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "0")),
                "an empty body is answered directly (400 empty_body)");
    }

    @Test
    void everythingElseIsLeftToTheRegularRoutes() {
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s")), "no Content-Length");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "1001")), "over the limit");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "x1")), "bad length");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Transfer-Encoding", "chunked")));
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "5",
                "Expect", "100-continue")));
        assertNull(route.accept(request(HttpMethod.GET, "/v1/streams/s", "Content-Length", "5")), "a read");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/cluster/leader", "Content-Length", "5")),
                "another POST route");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/nowhere", "Content-Length", "5")), "404 path");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/bad%20name", "Content-Length", "5")),
                "a bad stream name gets its 400 from the regular route");
        assertNull(route.accept(request(HttpMethod.POST, "/v1/streams/s", "Content-Length", "5",
                "Expected-Version", "soon")), "a bad header gets its 400 from the regular route");
        HttpRequest http10 = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.POST, "/v1/streams/s");
        http10.headers().add("Content-Length", "5");
        assertNull(route.accept(http10), "HTTP/1.0");
    }
}

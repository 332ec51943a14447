package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** {@code POST /v1/admin/checkpoint}: a checkpoint on demand, its offset and file; errors as JSON. */
class CheckpointEndpointTest {
    @TempDir
    Path dir;

    @Test
    void writesACheckpointAndAnswersItsOffsetAndFile() {
        try (TestServer server = new TestServer(dir)) {
            TestServer.Response empty = server.post("/v1/admin/checkpoint", "");
            assertEquals(200, empty.status(), empty.body());
            assertEquals("{\"offset\":-1,\"file\":null}", empty.body());

            server.post("/v1/streams/orders", "{\"n\":1}");
            server.post("/v1/streams/orders", "{\"n\":2}\n{\"n\":3}", "Content-Type", "application/x-ndjson");
            TestServer.Response written = server.post("/v1/admin/checkpoint", "");

            assertEquals(200, written.status(), written.body());
            assertEquals("application/json", written.header("Content-Type"));
            JsonNode json = written.json();
            assertEquals(3, json.get("offset").asLong());
            Path file = Path.of(json.get("file").asText());
            assertEquals(dir.resolve("checkpoints").resolve("00000000000000000003.ckpt").toAbsolutePath(), file);
            assertTrue(Files.isRegularFile(file));
            assertEquals(written.body(), server.post("/v1/admin/checkpoint", "").body(), "nothing new: the same one");
        }
    }

    @Test
    void otherMethodsAre405() {
        try (TestServer server = new TestServer(dir)) {
            TestServer.Response response = server.get("/v1/admin/checkpoint");
            assertEquals(405, response.status());
            assertEquals("method_not_allowed", response.errorCode());
            assertEquals("POST", response.header("Allow"));
        }
    }

    @Test
    void aFailedCheckpointIsAJsonError() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpConfig config = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        HttpApi api = new HttpApi(null, () -> null, null, () -> Mono.error(new IllegalStateException("disk full")),
                request -> { }, registry, config);
        DisposableServer server = HttpApiServer.bind(api, config);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/v1/admin/checkpoint"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            assertEquals("internal", TestServer.MAPPER.readTree(response.body()).get("error").asText());
        } finally {
            server.disposeNow();
        }
    }
}

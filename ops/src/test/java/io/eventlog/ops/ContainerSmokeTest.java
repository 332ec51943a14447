package io.eventlog.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The image of ops/Dockerfile serves the HTTP API. Skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerSmokeTest {
    private static final Path ROOT = Path.of(System.getProperty("eventlog.root", ".."));

    @Container
    private static final GenericContainer<?> NODE = new GenericContainer<>(new ImageFromDockerfile("eventlog-test", true)
            .withFileFromPath("ops/Dockerfile", ROOT.resolve("ops/Dockerfile"))
            .withFileFromPath("config/jvm.options", ROOT.resolve("config/jvm.options"))
            .withFileFromPath("log-server/target/lib", ROOT.resolve("log-server/target/lib"))
            .withFileFromPath("log-server/target/eventlog.jar", ROOT.resolve("log-server/target/eventlog.jar"))
            .withDockerfilePath("ops/Dockerfile"))
            .withExposedPorts(7070)
            .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

    @Test
    void theContainerAppendsAndReadsBack() throws Exception {
        URI base = URI.create("http://" + NODE.getHost() + ":" + NODE.getMappedPort(7070));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/v1/streams/smoke"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"ok\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(base.resolve("/v1/streams/smoke")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains("\"data\":{\"ok\":true}"), read.body());
    }
}

package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The router's own split gives the segments {@code String.split("/", -1)} gives. */
class RouterSplitTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "/v1/streams/orders-17", "/v1/streams/a%2Fb/subscribe", "/v1/log/",
        "v1", "/health/live/", "a//b"})
    void splitsAsStringSplitDoes(String path) {
        assertArrayEquals(path.split("/", -1), Router.split(path));
    }
}

package io.eventlog.client.transport;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.net.URI;

/**
 * Where a node's client API listens: {@code host:port}.
 *
 * @param host a host name or IP address
 * @param port the port, 1 to 65535
 */
public record NodeAddress(String host, int port) {

    public NodeAddress {
        if (host == null || host.isBlank()) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "a node address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "a node's port is 1 to 65535, was " + port);
        }
    }

    /** Parses {@code host:port} (an IPv6 host in brackets: {@code [::1]:7070}). */
    public static NodeAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "a node address is host:port, was '" + text + "'");
        }
        String host = text.substring(0, colon);
        try {
            return new NodeAddress(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host,
                    Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "a node address is host:port, was '" + text + "'");
        }
    }

    /** The host and port of an absolute URL, such as a 307's {@code Location}. */
    public static NodeAddress ofUrl(String url) {
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "no host:port in '" + url + "'");
        }
        return new NodeAddress(uri.getHost(), uri.getPort());
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}

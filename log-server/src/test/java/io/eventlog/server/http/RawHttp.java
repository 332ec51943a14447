package io.eventlog.server.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client on a socket, for what a library client hides: slow or partial
 * requests, small receive buffers, and reading a streamed (chunked) body at a chosen pace.
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final Map<String, String> headers = new LinkedHashMap<>();
    int status;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
    }

    /** Connects; {@code receiveBuffer} > 0 sets SO_RCVBUF (before connecting, so the window is small). */
    static RawHttp connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawHttp(socket);
    }

    /** Sends a GET with the given header pairs and reads the status line and headers. */
    RawHttp get(String path, String... headerPairs) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
        }
        write(request.append("\r\n").toString());
        readHead();
        return this;
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void readHead() throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        status = Integer.parseInt(statusLine.split(" ")[1]);
        headers.clear();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    /** The body: de-chunked when chunked, else limited by Content-Length, else to the end. */
    InputStream body() {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new Chunked(in);
        }
        String length = headers.get("content-length");
        return length == null ? in : new Limited(in, Long.parseLong(length));
    }

    /** The whole body as text (for complete responses). */
    String bodyText() throws IOException {
        return new String(body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Raw bytes from the socket until it is closed; returns them. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** One line without its CR LF, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Decodes a chunked body. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                String size = readLine(in);
                if (size == null) {
                    done = true;
                    return -1;
                }
                remaining = Long.parseLong(size.split(";")[0].trim(), 16);
                if (remaining == 0) {
                    readLine(in);
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                done = true;
                return -1;
            }
            remaining -= n;
            if (remaining == 0) {
                readLine(in);
            }
            return n;
        }
    }

    /** A body of known length. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }
    }
}

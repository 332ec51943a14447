package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Moves the bytes of one direction of a {@link ProxyConnection}: a reader thread takes what arrives and
 * queues it with the time it is due (now, or now plus the delay), a writer thread sends each chunk when
 * it is due. One queue keeps the order, also when the delay changes midway.
 */
final class ProxyPump {
    private static final int CHUNK_BYTES = 16 * 1024;
    /** Bounded, so a target that does not read holds the sender back as TCP would. */
    private static final int QUEUED_CHUNKS = 256;

    /** Bytes to write at {@code dueNanos}; no bytes: the end of the stream. */
    private record Chunk(byte[] bytes, long dueNanos) {
        boolean isEnd() {
            return bytes == null;
        }
    }

    private final Socket from;
    private final Socket to;
    private final ProxyDirection direction;
    private final ProxyConnection connection;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private volatile boolean lostBytes;
    private Thread reader;
    private Thread writer;

    ProxyPump(Socket from, Socket to, ProxyDirection direction, ProxyConnection connection) {
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.connection = connection;
    }

    synchronized void start(String name) {
        reader = daemon(name + "-read", this::readLoop);
        writer = daemon(name + "-write", this::writeLoop);
    }

    /** Interrupts both threads (the sockets are closed by then, which ends a blocked read). */
    synchronized void stop() {
        if (reader != null) {
            reader.interrupt();
            writer.interrupt();
        }
    }

    ProxyDirection direction() {
        return direction;
    }

    boolean lostBytes() {
        return lostBytes;
    }

    void markLostBytes() {
        lostBytes = true;
    }

    private void readLoop() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                int n = in.read(buffer);
                Mode mode = direction.admit(this);
                if (mode.kind() == Mode.Kind.CUT) {
                    connection.reset();
                    return;
                }
                if (mode.kind() != Mode.Kind.BLACKHOLE) { // a blackhole drops the bytes, and the end too
                    long due = System.nanoTime() + mode.delay().toNanos();
                    queue.put(new Chunk(n < 0 ? null : Arrays.copyOf(buffer, n), due));
                }
                if (n < 0) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            connection.reset();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (chunk.isEnd()) {
                    to.shutdownOutput(); // FIN: the peer sees the end of the stream, as the sender closed it
                    connection.directionFinished();
                    return;
                }
                out.write(chunk.bytes());
                direction.delivered(chunk.bytes().length);
            }
        } catch (IOException | InterruptedException e) {
            connection.reset();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

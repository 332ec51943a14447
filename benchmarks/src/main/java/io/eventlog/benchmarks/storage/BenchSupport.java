package io.eventlog.benchmarks.storage;

import io.eventlog.api.AppendResult;
import io.eventlog.api.EventData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/** Payloads, temporary directories and a window of appends in flight, shared by the storage and memory benchmarks. */
public final class BenchSupport {
    private BenchSupport() {
    }

    /** A JSON object of exactly {@code size} bytes (size ≥ 16), different for each {@code i}. */
    public static byte[] jsonPayload(int i, int size) {
        String head = "{\"i\":" + i + ",\"p\":\"";
        String tail = "\"}";
        int pad = size - head.length() - tail.length();
        if (pad < 0) {
            throw new IllegalArgumentException("payload of " + size + " bytes is too small");
        }
        byte[] out = (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
        if (out.length != size) {
            throw new AssertionError(out.length);
        }
        return out;
    }

    /** {@code count} events whose data is a {@code size}-byte JSON object, without type or headers. */
    public static List<EventData> events(int count, int size) {
        List<EventData> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new EventData(null, null, jsonPayload(i, size)));
        }
        return List.copyOf(events);
    }

    public static Path tempDir(String prefix, Path parent) {
        try {
            return parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of all regular files under {@code dir} (their apparent length). */
    public static long apparentSize(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps up to {@code window} appends in flight: {@link #submit} blocks while the window is full and
     * subscribes to the append (which validates and encodes the events on the calling thread and queues
     * them for the group-commit writer); the acknowledgement frees a slot. Throughput is then limited by
     * the node, not by one caller's round trip.
     */
    public static final class InFlight {
        private final int window;
        private final Semaphore permits;
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        public InFlight(int window) {
            this.window = window;
            this.permits = new Semaphore(window);
        }

        public void submit(Mono<AppendResult> append) {
            permits.acquireUninterruptibly();
            append.subscribe(result -> permits.release(), e -> {
                error.compareAndSet(null, e);
                permits.release();
            });
            rethrow();
        }

        /** Waits until every append submitted so far is acknowledged. */
        public void awaitAll() {
            permits.acquireUninterruptibly(window);
            permits.release(window);
            rethrow();
        }

        private void rethrow() {
            Throwable e = error.get();
            if (e != null) {
                throw new IllegalStateException("an append failed: " + e, e);
            }
        }
    }
}

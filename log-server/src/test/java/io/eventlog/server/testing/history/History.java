package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.Op.Phase;
import io.eventlog.server.testing.history.Op.Type;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The history of a fault test, like Jepsen's: every client operation as it is invoked and as it completes,
 * in the order they happened. Thread-safe and append-only. A history made with {@link #writingTo} writes
 * each op to its file as one JSON line, at once and in one write, so the file keeps everything up to the
 * moment a run is killed ({@link #read} skips the one line a kill may tear).
 *
 * <p>The file, one op a line ({@link Op} describes each field; absent fields are omitted):
 * <pre>
 * {"index":0,"time":1200,"process":"appender-1","phase":"invoke","type":"append","node":"http://127.0.0.1:7071","stream":"s1","payload":"a1-0"}
 * {"index":1,"time":9300,"process":"appender-1","phase":"ok","type":"append","invoke":0,"node":"...","stream":"s1","payload":"a1-0","offset":1,"version":0}
 * {"index":2,"time":9400,"process":"appender-1","phase":"info","type":"append","invoke":...,"error":"timed out after 5 s"}
 * {"index":3,"time":9500,"process":"subscriber","phase":"invoke","type":"subscribe","node":"...","subscription":"sub-1","from":0}
 * {"index":4,"time":9900,"process":"subscriber","phase":"ok","type":"subscribe","invoke":3,"subscription":"sub-1","stream":"s1","payload":"a1-0","offset":1,"version":0}
 * {"index":5,"time":9990,"process":"subscriber","phase":"invoke","type":"subscribe","node":"...","subscription":"sub-1","last_event_id":1}
 * {"index":6,"time":19000,"process":"nemesis","phase":"info","type":"fault","node":"...","error":"restarted node 1"}
 * {"index":7,"time":20000,"process":"final","phase":"invoke","type":"read_log","node":"..."}
 * {"index":8,"time":21000,"process":"final","phase":"ok","type":"read_log","invoke":7,"node":"...","entries":[{"offset":1,"stream":"s1","version":0,"payload":"a1-0"}]}
 * </pre>
 */
public final class History implements AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final List<Op> ops = new ArrayList<>();
    private final Path file;
    private final FileOutputStream out;

    private History(Path file) throws IOException {
        this.file = file;
        this.out = file == null ? null : new FileOutputStream(file.toFile());
    }

    /** A history kept in memory only. */
    public static History inMemory() {
        try {
            return new History(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A history that also writes each op to {@code file} (created, or emptied) as it happens. */
    public static History writingTo(Path file) {
        try {
            return new History(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history to " + file, e);
        }
    }

    /** The ops of a history file; a last line without its newline (torn by a kill) is left out. */
    public static List<Op> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<Op> read = new ArrayList<>();
            int start = 0;
            for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
                read.add(Op.JSON.readValue(text.substring(start, end), Op.class));
                start = end + 1;
            }
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history " + file, e);
        }
    }

    /** The file it writes to, or null. */
    public Path file() {
        return file;
    }

    /** Nanoseconds since the history started: the clock of {@link Op#time()}. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** A copy of the ops so far, in order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public Op invokeAppend(String process, String node, String stream, String payload) {
        return add(process, Phase.INVOKE, Type.APPEND, null, node, null, stream, payload, null, null, null, null,
                null, null);
    }

    /** The append was acknowledged (201) at this stream, offset and version. */
    public Op appendOk(Op invoke, String stream, long offset, long version) {
        expectInvoke(invoke, Type.APPEND);
        return complete(invoke, Phase.OK, stream, invoke.payload(), offset, version, null, null);
    }

    public Op invokeReadLog(String process, String node) {
        return add(process, Phase.INVOKE, Type.READ_LOG, null, node, null, null, null, null, null, null, null,
                null, null);
    }

    /** The whole log as the node returned it. */
    public Op readLogOk(Op invoke, List<EntryRef> entries) {
        expectInvoke(invoke, Type.READ_LOG);
        return complete(invoke, Phase.OK, null, null, null, null, List.copyOf(entries), null);
    }

    /**
     * A subscription starts, or resumes (then with {@code lastEventId}, the last position it was delivered).
     *
     * @param stream the stream subscribed to, or null for the global log
     * @param from   the first position asked for, or null (from the end, or after {@code lastEventId})
     */
    public Op invokeSubscribe(String process, String node, String subscription, String stream, Long from,
                              Long lastEventId) {
        return add(process, Phase.INVOKE, Type.SUBSCRIBE, null, node, subscription, stream, null, null, null, from,
                lastEventId, null, null);
    }

    /** One entry the subscription invoked by {@code subscribe} delivered. */
    public Op delivered(Op subscribe, EntryRef entry) {
        expectInvoke(subscribe, Type.SUBSCRIBE);
        return complete(subscribe, Phase.OK, entry.stream(), entry.payload(), entry.offset(), entry.version(), null,
                null);
    }

    /**
     * A fault injected or healed (process {@code nemesis}).
     *
     * @param node the node it hit, or null
     */
    public Op fault(String node, String what) {
        return add("nemesis", Phase.INFO, Type.FAULT, null, node, null, null, null, null, null, null, null, null,
                what);
    }

    /** The operation definitely did not happen. */
    public Op fail(Op invoke, String error) {
        return complete(invoke, Phase.FAIL, invoke.stream(), invoke.payload(), null, null, null, error);
    }

    /** The operation's outcome is unknown (a timeout, a lost connection), or a subscription ended. */
    public Op info(Op invoke, String error) {
        return complete(invoke, Phase.INFO, invoke.stream(), invoke.payload(), null, null, null, error);
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void expectInvoke(Op invoke, Type type) {
        if (!invoke.is(type, Phase.INVOKE)) {
            throw new IllegalArgumentException("not an invoke of " + type + ": " + invoke);
        }
    }

    private Op complete(Op invoke, Phase phase, String stream, String payload, Long offset, Long version,
                        List<EntryRef> entries, String error) {
        if (invoke.phase() != Phase.INVOKE) {
            throw new IllegalArgumentException("only an invoke completes: " + invoke);
        }
        return add(invoke.process(), phase, invoke.type(), invoke.index(), invoke.node(), invoke.subscription(),
                stream, payload, offset, version, null, null, entries, error);
    }

    private synchronized Op add(String process, Phase phase, Type type, Long invoke, String node, String subscription,
                                String stream, String payload, Long offset, Long version, Long from, Long lastEventId,
                                List<EntryRef> entries, String error) {
        Op op = new Op(ops.size(), System.nanoTime() - startNanos, Objects.requireNonNull(process, "process"), phase,
                type, invoke, node, subscription, stream, payload, offset, version, from, lastEventId, entries, error);
        ops.add(op);
        if (out != null) {
            try {
                // One write(2) of the whole line: a kill leaves at most this line torn, never a mix.
                out.write((op.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the history to " + file, e);
            }
        }
        return op;
    }
}

package io.eventlog.server.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.binary.BinaryConnection;
import io.eventlog.binary.Frame;
import io.eventlog.binary.FrameCodec;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.http.HttpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws random, truncated, corrupted and oversized frames at a node's binary port, one connection
 * each, then a probe (a read) on the same connection. Each bad frame must end in an error frame or
 * a closed connection; the node keeps serving and nothing is written. Cases: {@code -Dbinary.fuzz.cases=N}
 * (default 300), seed {@code -Dbinary.fuzz.seed=S}.
 */
class BinaryFuzzTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final long PROBE_ID = Long.MAX_VALUE;

    @TempDir
    Path data;

    @Test
    void badFramesGetAnErrorOrAClosedConnectionAndChangeNothing() throws IOException {
        long seed = Long.getLong("binary.fuzz.seed", System.nanoTime());
        int cases = Integer.getInteger("binary.fuzz.cases", 300);
        Random random = new Random(seed);
        HttpConfig http = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        BinaryConfig binary = new BinaryConfig("127.0.0.1", 0, MAX_FRAME, 64, 8, 100, Duration.ofMillis(50));
        try (EventLogServer server = EventLogServer.start(EventLogServer.Options.defaults(data).withHttp(http)
                .withBinary(binary))) {
            server.node().append("kept", EventData.json("{}")).block(Duration.ofSeconds(10));
            List<byte[]> valid = validRequests();
            for (int i = 0; i < cases; i++) {
                byte[] frame = badFrame(random, valid);
                String where = "seed " + seed + ", case " + i + ": " + Arrays.toString(Arrays.copyOf(frame,
                        Math.min(frame.length, 40)));
                Outcome outcome = sendThenProbe(server.binaryPort(), frame);
                assertTrue(outcome != Outcome.NEITHER, where);
            }
            assertEquals(1, server.node().read(ReadRequest.log(0, 100)).count().block(Duration.ofSeconds(10)),
                    "seed " + seed + ": nothing was written");
            try (BinaryConnection fresh = BinaryConnection.connect("127.0.0.1", server.binaryPort(),
                    Duration.ofSeconds(5)).block()) {
                assertEquals(1, fresh.append("kept", List.of(EventData.json("{}")), AppendOptions.DEFAULT)
                        .block(Duration.ofSeconds(10)).version());
            }
        }
    }

    private enum Outcome { CLOSED, ANSWERED, NEITHER }

    /** Frames a client may send that write nothing; the fuzzer corrupts and cuts them. */
    private static List<byte[]> validRequests() {
        return List.of(
                encode(new Frame.Read(5, ReadRequest.stream("kept", 0, 10))),
                encode(new Frame.Subscribe(6, SubscribeRequest.stream("kept", 0), 1)),
                encode(new Frame.Credit(6, 3)),
                encode(new Frame.Cancel(6)),
                encode(new Frame.Read(7, ReadRequest.log(0, 1).withMinOffset(0))));
    }

    private static byte[] badFrame(Random random, List<byte[]> valid) {
        switch (random.nextInt(5)) {
            case 0: { // random bytes behind a plausible length
                byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                return withLength(body.length, body);
            }
            case 1: { // a length beyond the limit
                return withLength(MAX_FRAME + 1 + random.nextInt(1 << 20), new byte[16]);
            }
            case 2: { // a valid frame whose length says less than it holds
                byte[] frame = valid.get(random.nextInt(valid.size())).clone();
                int body = frame.length - 4;
                frame[3] = (byte) Math.max(0, body - 1 - random.nextInt(Math.max(1, body - 1)));
                return frame;
            }
            case 3: { // a valid frame with bytes overwritten (the length kept)
                byte[] frame = valid.get(random.nextInt(valid.size())).clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    frame[4 + random.nextInt(frame.length - 4)] = (byte) random.nextInt(256);
                }
                return frame;
            }
            default: { // a frame of an answer's type, which a client must not send
                return encode(new Frame.End(9));
            }
        }
    }

    /** Sends HELLO, the bad frame and a probe; reads until the probe's end or the connection's. */
    private static Outcome sendThenProbe(int port, byte[] bad) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(encode(new Frame.Hello(FrameCodec.VERSION)));
            out.write(bad);
            out.write(encode(new Frame.Read(PROBE_ID, ReadRequest.log(0, 1))));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            boolean connectionError = false;
            while (true) {
                int length = in.readInt();
                byte[] body = new byte[length];
                in.readFully(body);
                Frame frame = FrameCodec.decode(Unpooled.wrappedBuffer(body));
                if (frame instanceof Frame.Error error && error.requestId() == 0) {
                    connectionError = true; // the connection must now end (other frames may still come first)
                    continue;
                }
                if (!connectionError && frame.requestId() == PROBE_ID && frame instanceof Frame.End) {
                    return Outcome.ANSWERED;
                }
            }
        } catch (EOFException | SocketException closed) {
            return Outcome.CLOSED;
        } catch (SocketTimeoutException hung) {
            return Outcome.NEITHER;
        }
    }

    private static byte[] withLength(int length, byte[] body) {
        ByteBuf buffer = Unpooled.buffer().writeInt(length).writeBytes(body);
        return Arrays.copyOf(buffer.array(), buffer.writerIndex());
    }

    private static byte[] encode(Frame frame) {
        ByteBuf buffer = Unpooled.buffer();
        FrameCodec.encode(frame, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }
}

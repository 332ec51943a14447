package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

/** One inbound connection's pipeline (frame decoder and handler) fed bytes directly. */
class TransportFrameDecodingTest {
    private static final long SELF = 1;
    private static final long PEER = 2;
    private static final int MAX_FRAME = 64 * 1024;
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final List<Message> messages = new ArrayList<>();
    private final List<byte[]> appData = new ArrayList<>();
    private final Map<Long, String> advertised = new ConcurrentHashMap<>();
    private final EmbeddedChannel channel = inbound((from, data) -> appData.add(data));

    /** A connection's inbound pipeline as the transport installs it, delivering to this test's lists. */
    private EmbeddedChannel inbound(AppHandler onAppMessage) {
        EmbeddedChannel inbound = new EmbeddedChannel();
        inbound.pipeline().addLast(NettyPipeline.ReactiveBridge, new ChannelInboundHandlerAdapter());
        InboundHandler.install(inbound.pipeline(), MAX_FRAME, SELF, advertised, messages::add, onAppMessage);
        return inbound;
    }

    @Test
    void helloThenRaftAndAppFramesAreDelivered() {
        List<Message> sent = List.of(heartbeat(1), heartbeat(2), heartbeat(3));
        feed(hello(PEER), raft(sent), FrameCodec.app(ALLOC, new byte[] {7, 8}));
        assertTrue(channel.isOpen());
        assertEquals("127.0.0.1:7072", advertised.get(PEER));
        assertEquals(sent, messages);
        assertArrayEquals(new byte[] {7, 8}, appData.get(0));
    }

    @Test
    void framesSplitAcrossReadsAreReassembled() {
        List<Message> sent = List.of(heartbeat(1), heartbeat(2));
        byte[] stream = concat(hello(PEER), raft(sent));
        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(sent, messages);
        assertTrue(channel.isOpen());
    }

    @Test
    void aTruncatedFrameWaitsForTheRestAndDeliversNothingMeanwhile() {
        byte[] stream = concat(hello(PEER), raft(List.of(heartbeat(1))));
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, stream.length - 1));
        assertTrue(messages.isEmpty());
        assertTrue(channel.isOpen());
        channel.writeInbound(Unpooled.wrappedBuffer(stream, stream.length - 1, 1));
        assertEquals(List.of(heartbeat(1)), messages);
    }

    @Test
    void anOversizeDeclaredLengthClosesTheConnectionBeforeTheBodyArrives() {
        feed(hello(PEER), Unpooled.buffer().writeInt(MAX_FRAME + 1));
        assertFalse(channel.isOpen());
    }

    @Test
    void aZeroLengthFrameClosesTheConnection() {
        feed(hello(PEER), Unpooled.buffer().writeInt(0));
        assertFalse(channel.isOpen());
    }

    @Test
    void anHttpRequestIsGarbageAndClosesTheConnection() {
        feed(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertFalse(channel.isOpen());
    }

    @Test
    void aRaftFrameBeforeHelloClosesTheConnection() {
        feed(raft(List.of(heartbeat(1))));
        assertFalse(channel.isOpen());
        assertTrue(messages.isEmpty());
    }

    @Test
    void aSecondHelloClosesTheConnection() {
        feed(hello(PEER), hello(3));
        assertFalse(channel.isOpen());
    }

    @Test
    void aHelloWithTheWrongMagicOrVersionClosesTheConnection() {
        for (int[] magicAndVersion : new int[][] {{0x12345678, FrameCodec.PROTOCOL_VERSION}, {FrameCodec.MAGIC, 2}}) {
            EmbeddedChannel other = inbound((from, data) -> { });
            ByteBuf body = Unpooled.buffer().writeByte(1).writeInt(magicAndVersion[0]).writeByte(magicAndVersion[1]);
            Varints.write(body, PEER);
            Varints.write(body, 0);
            other.writeInbound(Unpooled.buffer().writeInt(body.readableBytes()).writeBytes(body));
            assertFalse(other.isOpen());
        }
        assertTrue(advertised.isEmpty());
    }

    @Test
    void aMessageNotFromTheHelloNodeOrNotToThisNodeClosesTheConnection() {
        feed(hello(PEER), raft(List.of(heartbeat(1), new Message.Heartbeat(1, 3, SELF, 1, 0, 0))));
        assertFalse(channel.isOpen());
        assertTrue(messages.isEmpty(), "nothing of the offending frame is delivered");

        EmbeddedChannel other = inbound((from, data) -> { });
        other.writeInbound(hello(PEER), raft(List.of(new Message.Heartbeat(1, PEER, 5, 1, 0, 0))));
        assertFalse(other.isOpen());
    }

    @Test
    void anUnknownFrameTypeOrTrailingBytesCloseTheConnection() {
        feed(hello(PEER), Unpooled.buffer().writeInt(2).writeByte(9).writeByte(0));
        assertFalse(channel.isOpen());

        EmbeddedChannel other = inbound((from, data) -> { });
        ByteBuf frame = raft(List.of(heartbeat(1)));
        frame.setInt(0, frame.getInt(0) + 1);
        other.writeInbound(hello(PEER), frame.writeByte(0));
        assertFalse(other.isOpen());
        assertTrue(messages.isEmpty());
    }

    /** Frames of a valid length but random content: closed or delivered, nothing else (no exception escapes). */
    @Test
    void randomFrameBodiesNeverEscapeAsExceptions() {
        Random random = new Random(42);
        int closed = 0;
        for (int i = 0; i < 2000; i++) {
            EmbeddedChannel other = inbound((from, data) -> { });
            byte[] body = new byte[1 + random.nextInt(60)];
            random.nextBytes(body);
            body[0] = (byte) (1 + random.nextInt(3));
            other.writeInbound(hello(PEER), Unpooled.buffer().writeInt(body.length).writeBytes(body));
            other.checkException();
            closed += other.isOpen() ? 0 : 1;
        }
        assertTrue(closed > 1000, "most random frames are malformed, closed " + closed);
    }

    private void feed(ByteBuf... frames) {
        channel.writeInbound((Object[]) frames);
        channel.checkException();
    }

    private static ByteBuf hello(long nodeId) {
        return FrameCodec.hello(ALLOC, nodeId, "127.0.0.1:707" + nodeId);
    }

    private static ByteBuf raft(List<Message> batch) {
        return FrameCodec.raft(ALLOC, batch, batch.stream().mapToLong(MessageCodec::encodedSize).sum());
    }

    private static Message heartbeat(long commit) {
        return new Message.Heartbeat(1, PEER, SELF, 3, commit, 0);
    }

    private static byte[] concat(ByteBuf... frames) {
        return ByteBufUtil.getBytes(Unpooled.wrappedBuffer(frames));
    }
}

package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of the node-to-node protocol. A frame is {@code length:u32} (big-endian: the bytes
 * that follow it, at least 1 and at most the configured maximum), {@code frameType:u8} and a body:
 * <pre>
 * 1 HELLO  magic:u32 ("EVLG") version:u8 (1) nodeId:varint httpAddress:bytes (UTF-8, at most 1 KiB)
 * 2 RAFT   count:varint (at least 1) message*count   (messages as in {@link MessageCodec})
 * 3 APP    data: the rest of the frame, opaque to the transport
 * </pre>
 * HELLO is the first frame on every connection and only the first.
 */
final class FrameCodec {
    static final int MAGIC = 0x45564C47;
    static final int PROTOCOL_VERSION = 1;
    static final int LENGTH_FIELD_BYTES = 4;
    static final int MAX_HTTP_ADDRESS_BYTES = 1024;

    private static final int HELLO = 1;
    private static final int RAFT = 2;
    private static final int APP = 3;
    private static final int FRAME_TYPE_BYTES = 1;

    private FrameCodec() {
    }

    static ByteBuf hello(ByteBufAllocator alloc, long nodeId, String httpAddress) {
        byte[] address = httpAddressBytes(httpAddress);
        int bodyLength = 4 + 1 + Varints.size(nodeId) + Varints.size(address.length) + address.length;
        ByteBuf frame = start(alloc, HELLO, FRAME_TYPE_BYTES + bodyLength);
        frame.writeInt(MAGIC).writeByte(PROTOCOL_VERSION);
        WireSink out = new WireSink.Buffer(frame);
        out.varint(nodeId);
        out.bytes(address);
        return frame;
    }

    /** The address as HELLO carries it; throws if it is too long to send. */
    static byte[] httpAddressBytes(String httpAddress) {
        byte[] address = httpAddress.getBytes(StandardCharsets.UTF_8);
        if (address.length > MAX_HTTP_ADDRESS_BYTES) {
            throw new IllegalArgumentException("advertised HTTP address longer than " + MAX_HTTP_ADDRESS_BYTES
                    + " bytes");
        }
        return address;
    }

    /** A RAFT frame; {@code messageBytes} is the sum of their {@link MessageCodec#encodedSize}. */
    static ByteBuf raft(ByteBufAllocator alloc, List<Message> messages, long messageBytes) {
        ByteBuf frame = start(alloc, RAFT, raftFrameLength(messages.size(), messageBytes));
        WireSink out = new WireSink.Buffer(frame);
        out.varint(messages.size());
        for (Message m : messages) {
            MessageCodec.write(m, out);
        }
        return frame;
    }

    static ByteBuf app(ByteBufAllocator alloc, byte[] data) {
        return start(alloc, APP, appFrameLength(data.length)).writeBytes(data);
    }

    /** The length field of a RAFT frame holding {@code count} messages of {@code messageBytes} in all. */
    static long raftFrameLength(int count, long messageBytes) {
        return FRAME_TYPE_BYTES + Varints.size(count) + messageBytes;
    }

    static long appFrameLength(long dataLength) {
        return FRAME_TYPE_BYTES + dataLength;
    }

    /** Decodes a frame from its type on (the length field already consumed); the buffer must hold exactly one. */
    static InboundFrame decode(ByteBuf frame) {
        WireReader in = new WireReader(frame);
        int type = in.u8("frame type");
        InboundFrame decoded = switch (type) {
            case HELLO -> readHello(in);
            case RAFT -> readRaft(in);
            case APP -> new InboundFrame.AppData(in.rest());
            default -> throw new MalformedFrameException("unknown frame type " + type);
        };
        in.requireEnd("frame");
        return decoded;
    }

    private static InboundFrame.Hello readHello(WireReader in) {
        long magic = in.u32("magic");
        if (magic != MAGIC) {
            throw new MalformedFrameException("bad magic 0x" + Long.toHexString(magic)
                    + ": not an eventlog transport connection");
        }
        int version = in.u8("protocol version");
        if (version != PROTOCOL_VERSION) {
            throw new MalformedFrameException("unsupported protocol version " + version + " (this node speaks "
                    + PROTOCOL_VERSION + ")");
        }
        long nodeId = in.varint("node id");
        if (nodeId <= 0) {
            throw new MalformedFrameException("node id must be positive, was " + nodeId);
        }
        return new InboundFrame.Hello(nodeId, in.utf8("HTTP address", MAX_HTTP_ADDRESS_BYTES));
    }

    private static InboundFrame.RaftMessages readRaft(WireReader in) {
        int count = in.count("message count", MessageCodec.MIN_MESSAGE_BYTES);
        if (count == 0) {
            throw new MalformedFrameException("RAFT frame with no message");
        }
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(MessageCodec.read(in));
        }
        return new InboundFrame.RaftMessages(messages);
    }

    private static ByteBuf start(ByteBufAllocator alloc, int type, long frameLength) {
        int length = Math.toIntExact(frameLength);
        return alloc.buffer(LENGTH_FIELD_BYTES + length).writeInt(length).writeByte(type);
    }
}

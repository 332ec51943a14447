package io.eventlog.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the inbound byte stream into frames and decodes each into an {@link InboundFrame}. A length
 * over the maximum fails as soon as its four bytes arrive, before any of the frame is buffered;
 * after a failure the rest of the stream is discarded (the connection is being closed).
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private boolean failed;

    FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length == 0 || length > maxFrameLength) {
            failed = true;
            throw new MalformedFrameException("frame length " + length + " outside [1, " + maxFrameLength + "]");
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES + length) {
            return;
        }
        in.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
        ByteBuf frame = in.readSlice((int) length);
        try {
            out.add(FrameCodec.decode(frame));
        } catch (MalformedFrameException e) {
            failed = true;
            throw e;
        }
    }
}

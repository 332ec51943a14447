package io.eventlog.server.binary;

import io.eventlog.binary.Frame;
import io.eventlog.binary.FrameCodec;
import io.eventlog.binary.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the length-prefix decoder: a frame longer than the limit is answered with an ERROR
 * of request 0 and the connection is closed, once, instead of the decoder's exception reaching
 * the session (and, for the rest of the oversized frame, reaching it again after it ended).
 */
final class OversizedFrameGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OversizedFrameGuard.class);

    private boolean closing;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof TooLongFrameException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!closing) {
            closing = true;
            LOG.info("closing a binary connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ByteBuf error = ctx.alloc().buffer();
            FrameCodec.encode(Frame.Error.of(0, new MalformedFrameException(cause.getMessage())), error);
            ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

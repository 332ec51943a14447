package io.eventlog.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * Sits on this node's outbound connections, which carry one direction only: a peer answers on
 * its own connection. Bytes arriving here are a protocol violation, so they close the connection
 * instead of piling up unread.
 */
final class OutboundOnlyGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OutboundOnlyGuard.class);

    static void install(ChannelPipeline pipeline) {
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "eventlog.outboundOnly", new OutboundOnlyGuard());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        log.warn("closing transport connection to {}: the peer sent bytes on this node's outbound link",
                ctx.channel().remoteAddress());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("transport connection to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

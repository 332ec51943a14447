package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * One accepted connection: a peer's outbound link to this node. Checks that it opens with HELLO and
 * that every message comes from the node the HELLO named and is addressed to this node, then hands
 * messages and APP data to the driver's callbacks on this event loop. A protocol violation closes
 * this connection only; the peer reconnects.
 */
final class InboundHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

    private final long selfId;
    private final Map<Long, String> advertisedHttpAddresses;
    private final Consumer<Message> onRaftMessage;
    private final AppHandler onAppMessage;
    /** The peer, from its HELLO; 0 before. */
    private long peerId;
    private boolean rejected;

    private InboundHandler(long selfId, Map<Long, String> advertisedHttpAddresses, Consumer<Message> onRaftMessage,
                           AppHandler onAppMessage) {
        this.selfId = selfId;
        this.advertisedHttpAddresses = advertisedHttpAddresses;
        this.onRaftMessage = onRaftMessage;
        this.onAppMessage = onAppMessage;
    }

    static void install(ChannelPipeline pipeline, int maxFrameLength, long selfId,
                        Map<Long, String> advertisedHttpAddresses, Consumer<Message> onRaftMessage,
                        AppHandler onAppMessage) {
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "eventlog.frameDecoder", new FrameDecoder(maxFrameLength));
        pipeline.addBefore(NettyPipeline.ReactiveBridge, "eventlog.inbound",
                new InboundHandler(selfId, advertisedHttpAddresses, onRaftMessage, onAppMessage));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            return;
        }
        if (msg instanceof InboundFrame.Hello hello) {
            onHello(ctx, hello);
        } else if (peerId == 0) {
            reject(ctx, "the first frame is not HELLO");
        } else if (msg instanceof InboundFrame.RaftMessages raft) {
            onRaftMessages(ctx, raft);
        } else if (msg instanceof InboundFrame.AppData app) {
            deliver(() -> onAppMessage.onAppMessage(peerId, app.data()));
        }
    }

    private void onHello(ChannelHandlerContext ctx, InboundFrame.Hello hello) {
        if (peerId != 0) {
            reject(ctx, "a second HELLO");
        } else if (hello.nodeId() == selfId) {
            reject(ctx, "HELLO names this node's own id " + selfId);
        } else {
            peerId = hello.nodeId();
            advertisedHttpAddresses.put(peerId, hello.httpAddress());
        }
    }

    private void onRaftMessages(ChannelHandlerContext ctx, InboundFrame.RaftMessages raft) {
        for (Message m : raft.messages()) {
            if (m.from() != peerId || m.to() != selfId) {
                reject(ctx, "a message from " + m.from() + " to " + m.to() + " on the link from " + peerId
                        + " to " + selfId);
                return;
            }
        }
        for (Message m : raft.messages()) {
            deliver(() -> onRaftMessage.accept(m));
        }
    }

    /** A callback that throws is the driver's bug: it is logged and the link goes on. */
    private void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.error("transport callback failed for a message from node {}", peerId, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof MalformedFrameException) {
            reject(ctx, root.getMessage());
        } else if (root instanceof IOException) {
            log.debug("transport connection from {} failed: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else {
            log.warn("closing transport connection from {}", ctx.channel().remoteAddress(), root);
            ctx.close();
        }
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        if (!rejected) {
            rejected = true;
            log.warn("closing transport connection from {} (node {}): {}", ctx.channel().remoteAddress(),
                    peerId == 0 ? "unknown" : peerId, reason);
        }
        ctx.close();
    }
}

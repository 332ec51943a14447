package io.eventlog.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Arrays;
import reactor.netty.NettyPipeline;

/**
 * Serves appends on the connection's event loop straight from netty's decoded HTTP messages, and
 * writes their answer as one netty message: reactor-netty's per-request machinery (its request and
 * response operations, the Reactor chain around them, its send queue) cost more than the rest of an
 * append. Which appends, and their answers, come from {@link DirectAppendRoute}; everything else
 * is passed on to reactor-netty untouched.
 *
 * <p>Answers go out in request order, as HTTP/1.1 requires of pipelined requests: an append is
 * served here only when no request passed on is still unanswered, and what arrives while an append
 * served here waits for the log is held until its answer is written; no more is read meanwhile
 * (reactor-netty's channels read only on demand, and this handler defers that demand). Sits
 * after the request deadline and idle timeout handlers, so both see these requests too. One
 * instance per connection, used on its event loop only.
 */
final class DirectAppends extends ChannelDuplexHandler {
    private static final String NAME = "eventlog.directAppends";
    private static final int INITIAL_BODY_CAPACITY = 64 * 1024;

    private final DirectAppendRoute route;
    /** Requests passed on to reactor-netty whose response has not ended. */
    private int passedOn;
    /** The message being read belongs to a request passed on. */
    private boolean passing;
    /** The append served here whose body is being read, and its body so far. */
    private DirectAppendRoute.Request reading;
    private byte[] body;
    private int bodySize;
    /** An append served here waits for the log's answer. */
    private boolean answering;
    private boolean closing;
    /** Messages that arrived while {@link #answering}, in order. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    private DirectAppends(DirectAppendRoute route) {
        this.route = route;
    }

    /** Adds the handler just before reactor-netty's HTTP handling of a new connection. */
    static void install(ChannelPipeline pipeline, DirectAppendRoute route) {
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, NAME, new DirectAppends(route));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (answering || !held.isEmpty()) {
            held.add(msg);
        } else {
            dispatch(ctx, msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && !passing && reading == null) {
            reading = passedOn == 0 ? route.accept(request) : null;
            if (reading == null) {
                passedOn++;
                passing = true;
            } else {
                // Grown as bytes arrive: a declared length costs no memory before its bytes do.
                body = new byte[Math.min(reading.contentLength(), INITIAL_BODY_CAPACITY)];
                bodySize = 0;
            }
        }
        if (passing) {
            if (msg instanceof LastHttpContent) {
                passing = false;
            }
            ctx.fireChannelRead(msg);
        } else if (reading != null) {
            readBody(ctx, msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void readBody(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpContent content) {
            copy(content.content());
        }
        ReferenceCountUtil.release(msg);
        if (msg instanceof LastHttpContent) {
            DirectAppendRoute.Request request = reading;
            byte[] complete = bodySize == body.length ? body : Arrays.copyOf(body, bodySize);
            reading = null;
            body = null;
            answering = true;
            route.append(request, complete, answer -> {
                if (ctx.executor().inEventLoop()) {
                    respond(ctx, request, answer);
                } else {
                    ctx.executor().execute(() -> respond(ctx, request, answer));
                }
            });
        }
    }

    /** Adds a chunk to the body. The codec delivers exactly Content-Length bytes; the bound only guards the array. */
    private void copy(ByteBuf chunk) {
        int length = Math.min(chunk.readableBytes(), reading.contentLength() - bodySize);
        if (bodySize + length > body.length) {
            int grown = Math.max(2 * body.length, bodySize + length);
            body = Arrays.copyOf(body, Math.min(reading.contentLength(), grown));
        }
        chunk.getBytes(chunk.readerIndex(), body, bodySize, length);
        bodySize += length;
    }

    private void respond(ChannelHandlerContext ctx, DirectAppendRoute.Request request, JsonAnswer answer) {
        answering = false;
        route.answered(request, answer.status());
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean close = answer.close() || !request.keepAlive();
        if (close) {
            closing = true;
            releaseHeld();
            ctx.writeAndFlush(answer.toResponse(true)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(answer.toResponse(false));
        replayHeld(ctx);
        if (!answering) {
            ctx.read();
        }
    }

    /** Goes on with what was held, up to the next append that must wait for its answer. */
    private void replayHeld(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            return;
        }
        while (!answering && !held.isEmpty()) {
            dispatch(ctx, held.poll());
        }
        ctx.fireChannelReadComplete();
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** reactor-netty reads only on demand (auto-read off): a body still arriving needs the next read. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading != null) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** No reads for anyone while an answer is awaited: held messages stay few. Reading resumes with the answer. */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!answering) {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (passedOn > 0 && HttpMessages.endsResponse(msg)) {
            passedOn--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseHeld();
        reading = null;
        body = null;
        ctx.fireChannelInactive();
    }
}

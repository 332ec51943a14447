package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.wire.ErrorBody;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Answers a request the HTTP codec could not decode (a request line or headers too long, a
 * malformed request) with the API's JSON error body instead of reactor-netty's empty one, then
 * closes the connection: after such a request the rest of the stream cannot be trusted.
 */
final class MalformedRequestResponder extends ChannelInboundHandlerAdapter {
    private static final String NAME = "eventlog.malformedRequest";
    /** A code outside {@link ErrorCode} (the contract allows new ones) for requests that are not HTTP. */
    static final String BAD_REQUEST = "bad_request";

    private boolean responded;

    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new MalformedRequestResponder());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
            Throwable cause = decoded.decoderResult().cause();
            ReferenceCountUtil.release(msg);
            if (!responded) {
                responded = true;
                ctx.writeAndFlush(response(cause)).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (!responded) {
            super.channelRead(ctx, msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    static FullHttpResponse response(Throwable cause) {
        HttpResponseStatus status;
        ErrorBody body;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            body = ErrorBody.of(ErrorCode.TOO_LARGE, "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            body = ErrorBody.of(ErrorCode.TOO_LARGE, "the request headers are too large");
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            body = ErrorBody.of(ErrorCode.TOO_LARGE, "a part of the request is too large");
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            body = new ErrorBody(BAD_REQUEST, "malformed HTTP request: " + cause.getMessage(), null);
        }
        return new JsonAnswer(status.code(), body.encode(), EmptyHttpHeaders.INSTANCE, true).toResponse(true);
    }
}

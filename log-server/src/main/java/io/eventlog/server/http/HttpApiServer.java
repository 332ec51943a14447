package io.eventlog.server.http;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Binds the API on reactor-netty with the configured address, timeouts (ours, see
 * {@link RequestReadDeadline} and {@link IdleConnectionTimeout}) and flow-control marks.
 * Every connection joins the server's channel group, so disposing the server closes them all
 * (live subscriptions included), not only the listening socket.
 */
public final class HttpApiServer {
    /** Outbound bytes queued per connection before it counts as not writable (and writing pauses). */
    static final int WRITE_HIGH_WATER_MARK = 256 * 1024;
    static final int WRITE_LOW_WATER_MARK = 64 * 1024;

    private HttpApiServer() {
    }

    public static DisposableServer bind(HttpApi api, HttpConfig config) {
        return HttpServer.create()
                .host(config.host())
                .port(config.port())
                .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_LOW_WATER_MARK, WRITE_HIGH_WATER_MARK))
                .doOnChannelInit((observer, channel, remote) -> {
                    RequestReadDeadline.install(channel.pipeline(), config.requestReadTimeout());
                    IdleConnectionTimeout.install(channel.pipeline(), config.idleTimeout());
                    MalformedRequestResponder.install(channel.pipeline());
                    api.installDirectAppends(channel.pipeline());
                })
                .handle(api::handle)
                .bindNow();
    }
}

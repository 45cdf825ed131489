package io.kubevisor.http.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Carries a byte stream in binary WebSocket messages, as kubectl ≥ 1.31 tunnels SPDY for
 * port-forward ({@code SPDY/3.1+portforward.k8s.io}): inbound message payloads are concatenated
 * (frames may span messages or share one), every outbound buffer becomes one binary message.
 * Closing the channel sends a Close frame (1000) first, which the client reads as a clean end.
 */
final class WebSocketTunnel extends ChannelDuplexHandler {

    private boolean closeSent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (frame) {
                case BinaryWebSocketFrame b -> ctx.fireChannelRead(b.content().retain());
                case ContinuationWebSocketFrame c -> ctx.fireChannelRead(c.content().retain());
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case PongWebSocketFrame pong -> {
                }
                case CloseWebSocketFrame close -> {
                    if (!closeSent) {
                        closeSent = true;
                        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                                .addListener(ChannelFutureListener.CLOSE);
                    } else {
                        ctx.close();
                    }
                }
                default -> {
                    // text messages are no part of the tunnel (the client rejects them too)
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(1003, "binary messages only"))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close(promise));
    }
}

package io.kubevisor.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** A WebSocket session over a Netty channel whose pipeline the handshake has switched to frames. */
final class NettyWebSocket extends SimpleChannelInboundHandler<WebSocketFrame> implements WebSocketSession {

    private final Channel channel;
    private final String subprotocol;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Runnable> closeCallbacks = new CopyOnWriteArrayList<>();
    // Event loop only. Messages that arrive before a handler is set wait for it: the client may
    // send right after the 101, before the request thread has called onMessage.
    private Consumer<byte[]> handler;
    private final List<byte[]> early = new ArrayList<>();
    private final java.io.ByteArrayOutputStream fragments = new java.io.ByteArrayOutputStream();

    NettyWebSocket(Channel channel, String subprotocol) {
        super(true);
        this.channel = channel;
        this.subprotocol = subprotocol;
        channel.closeFuture().addListener(f -> runCloseCallbacks());
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean sendBinary(byte[] message) {
        return send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
    }

    @Override
    public boolean sendText(String message) {
        return send(new TextWebSocketFrame(message));
    }

    private boolean send(WebSocketFrame frame) {
        if (closing.get() || !channel.isActive()) {
            frame.release();
            return false;
        }
        io.netty.channel.ChannelFuture f = channel.writeAndFlush(frame);
        if (!channel.isWritable()) {
            return f.awaitUninterruptibly().isSuccess();
        }
        f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return true;
    }

    @Override
    public void onMessage(Consumer<byte[]> h) {
        channel.eventLoop().execute(() -> {
            handler = h;
            List<byte[]> waiting = new ArrayList<>(early);
            early.clear();
            waiting.forEach(h);
        });
    }

    private void deliver(byte[] message) {
        if (handler == null) {
            early.add(message);
        } else {
            handler.accept(message);
        }
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    @Override
    public void onClose(Runnable callback) {
        closeCallbacks.add(callback);
        if (!channel.isActive()) {
            runCloseCallbacks();
        }
    }

    private void runCloseCallbacks() {
        List<Runnable> copy = new ArrayList<>(closeCallbacks);
        closeCallbacks.removeAll(copy);
        copy.forEach(Runnable::run);
    }

    @Override
    public void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case PongWebSocketFrame pong -> {
            }
            case CloseWebSocketFrame close -> {
                if (closing.compareAndSet(false, true)) {
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            }
            default -> {
                fragments.writeBytes(ByteBufUtil.getBytes(frame.content()));
                if (frame.isFinalFragment()) {
                    byte[] message = fragments.toByteArray();
                    fragments.reset();
                    deliver(message);
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static boolean isData(WebSocketFrame f) {
        return f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame
                || f instanceof ContinuationWebSocketFrame;
    }
}

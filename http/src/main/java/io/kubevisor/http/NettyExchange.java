package io.kubevisor.http;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;

/** An exchange over one Netty channel: an HTTP/1.1 connection or one HTTP/2 stream. */
final class NettyExchange implements HttpExchange {

    private final Channel channel;
    private final boolean http2;
    private final String method;
    private final String uri;
    private final HttpHeaders headers;
    private final byte[] body;
    private final boolean keepAlive;
    private final List<X509Certificate> peer;
    private final AtomicBoolean answered = new AtomicBoolean();

    NettyExchange(Channel channel, FullHttpRequest request, boolean http2) {
        this.channel = channel;
        this.http2 = http2;
        this.method = request.method().name();
        this.uri = request.uri();
        this.headers = new DefaultHttpHeaders().add(request.headers());
        this.body = ByteBufUtil.getBytes(request.content());
        this.keepAlive = http2 || HttpUtil.isKeepAlive(request);
        this.peer = peerChain(channel);
    }

    private static List<X509Certificate> peerChain(Channel channel) {
        Channel conn = channel instanceof Http2StreamChannel s ? s.parent() : channel;
        SslHandler ssl = conn.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return List.copyOf(out);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return peer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Channel conn = channel instanceof Http2StreamChannel s ? s.parent() : channel;
        return (InetSocketAddress) conn.remoteAddress();
    }

    @Override
    public String protocol() {
        return http2 ? "HTTP/2" : "HTTP/1.1";
    }

    @Override
    public void respond(int status, HttpHeaders responseHeaders, byte[] responseBody) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(responseBody));
        res.headers().add(responseHeaders);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, responseBody.length);
        if (!http2 && keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        finish(channel.writeAndFlush(res));
    }

    private void finish(ChannelFuture written) {
        if (http2) {
            return;
        }
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            written.addListener(f -> {
                channel.config().setAutoRead(true);
                channel.read();
            });
        }
    }

    @Override
    public ResponseStream stream(int status, HttpHeaders responseHeaders) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        res.headers().add(responseHeaders);
        if (!http2) {
            HttpUtil.setTransferEncodingChunked(res, true);
        }
        channel.writeAndFlush(res);
        return new Stream();
    }

    @Override
    public WebSocketSession upgradeToWebSocket(String subprotocol) {
        NettyWebSocket session = new NettyWebSocket(channel, subprotocol == null ? "" : subprotocol);
        return upgradeToWebSocket(subprotocol, p -> p.addLast("websocket", session)) ? session : null;
    }

    @Override
    public boolean upgradeToWebSocket(String subprotocol, Consumer<ChannelPipeline> install) {
        if (http2 || !wantsWebSocket()) {
            return false;
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        io.netty.handler.codec.http.DefaultFullHttpRequest req = new io.netty.handler.codec.http.DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.valueOf(method), uri);
        req.headers().set(headers);
        var factory = new io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory(
                "wss://" + headers.get(HttpHeaderNames.HOST, "localhost") + uri, subprotocol, false, 16 * 1024 * 1024);
        var handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            answered.set(false);
            req.release();
            return false;
        }
        try {
            channel.eventLoop().submit(() -> {
                var p = channel.pipeline();
                removeDispatcher(p);
                handshaker.handshake(channel, req).addListener(f -> {
                    if (f.isSuccess()) {
                        channel.config().setAutoRead(true);
                        channel.read();
                    } else {
                        channel.close();
                    }
                });
                install.accept(p);
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
        } catch (java.util.concurrent.ExecutionException e) {
            channel.close();
        } finally {
            req.release();
        }
        return true;
    }

    @Override
    public boolean switchProtocols(HttpHeaders responseHeaders, Consumer<ChannelPipeline> install) {
        if (http2) {
            return false;
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        try {
            channel.eventLoop().submit(() -> {
                ChannelPipeline p = channel.pipeline();
                removeDispatcher(p);
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
                res.headers().add(responseHeaders);
                // Encoded right here, on the event loop, so the codec may go once it is written.
                channel.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                install.accept(p);
                // Removed after the new handlers are in place: bytes the HTTP decoder already
                // holds pass on to them.
                if (p.get(HttpServerCodec.class) != null) {
                    p.remove(HttpServerCodec.class);
                }
                channel.config().setAutoRead(true);
                channel.read();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
        } catch (java.util.concurrent.ExecutionException e) {
            channel.close();
        }
        return true;
    }

    /** The request aggregation and dispatch handlers, which have no place on an upgraded connection. */
    private static void removeDispatcher(ChannelPipeline p) {
        for (var name : p.names()) {
            var h = p.get(name);
            if (h != null && h.getClass().getName().startsWith(Dispatcher.class.getName())) {
                p.remove(name);
            }
        }
    }

    /** Answers with a 500 Status if the handler died before answering. */
    void failIfUnanswered() {
        if (answered.get()) {
            return;
        }
        byte[] b = Json.bytes(new ApiException.InternalError("the server failed to answer the request").toStatus());
        HttpHeaders h = new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        try {
            respond(500, h, b);
        } catch (IllegalStateException ignored) {
            // answered concurrently: nothing more to do
        }
    }

    static void tooLarge(Channel channel, boolean http2, int limit, boolean keepAlive) {
        ApiException e = new ApiException.RequestEntityTooLarge("Request entity too large: limit is " + limit);
        byte[] b = Json.bytes(e.toStatus());
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(b));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        ChannelFuture f = channel.writeAndFlush(res);
        // The rest of an oversized HTTP/1.1 body is still on the wire: close rather than resync.
        if (!http2) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class Stream implements ResponseStream {
        private final AtomicBoolean closed = new AtomicBoolean();
        private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

        Stream() {
            channel.closeFuture().addListener(f -> runCallbacks());
        }

        @Override
        public boolean write(byte[] chunk) {
            if (closed.get() || !channel.isActive()) {
                return false;
            }
            ChannelFuture f = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            // Wait only when the connection's buffer is full: that is the backpressure; waiting
            // on every write would cost a wake-up per chunk.
            if (!channel.isWritable()) {
                return f.awaitUninterruptibly().isSuccess();
            }
            f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return true;
        }

        @Override
        public boolean isOpen() {
            return !closed.get() && channel.isActive();
        }

        @Override
        public void onClose(Runnable callback) {
            callbacks.add(callback);
            if (closed.get() || !channel.isActive()) {
                runCallbacks();
            }
        }

        private void runCallbacks() {
            List<Runnable> copy = new ArrayList<>(callbacks);
            callbacks.removeAll(copy);
            copy.forEach(Runnable::run);
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (channel.isActive()) {
                finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            }
            runCallbacks();
        }
    }
}

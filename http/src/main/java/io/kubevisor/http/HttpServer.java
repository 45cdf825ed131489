package io.kubevisor.http;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The TLS listener: HTTP/2 and HTTP/1.1 negotiated by ALPN, each request handed to a virtual
 * thread. The event loop only moves bytes.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** How the listener is set up. {@code port} 0 picks a free port. */
    public record Options(String bindAddress, int port, int maxBodyBytes, int eventLoopThreads) {
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService requests;
    private final Channel listener;

    private HttpServer(EventLoopGroup boss, EventLoopGroup workers, ExecutorService requests, Channel listener) {
        this.boss = boss;
        this.workers = workers;
        this.requests = requests;
        this.listener = listener;
    }

    /** Binds and starts serving; returns once the port is open. */
    public static HttpServer start(Options options, SslContext tls, RequestHandler handler) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.eventLoopThreads(), NioIoHandler.newFactory());
        ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("request-", 0).factory());
        Dispatcher dispatcher = new Dispatcher(handler, requests, options.maxBodyBytes());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("alpn", new ProtocolSelector(dispatcher));
                    }
                });
        try {
            Channel ch = b.bind(options.bindAddress(), options.port()).sync().channel();
            LOG.info("event=listening address={}", ch.localAddress());
            return new HttpServer(boss, workers, requests, ch);
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            requests.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        requests.shutdownNow();
    }

    /** Builds the HTTP/1.1 or HTTP/2 pipeline once ALPN has chosen. */
    private static final class ProtocolSelector extends ApplicationProtocolNegotiationHandler {
        private final Dispatcher dispatcher;

        ProtocolSelector(Dispatcher dispatcher) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.dispatcher = dispatcher;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                Http2Settings settings = Http2Settings.defaultSettings().maxConcurrentStreams(1000);
                p.addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).validateHeaders(true).build());
                p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                        dispatcher.install(stream.pipeline(), true);
                    }
                }));
            } else {
                p.addLast(new HttpServerCodec());
                dispatcher.install(p, false);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("event=tls_handshake_failed remote={} cause={}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}

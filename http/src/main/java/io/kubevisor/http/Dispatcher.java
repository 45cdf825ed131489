package io.kubevisor.http;

import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates each request (bounded by the body limit), then hands it to a virtual thread.
 * On HTTP/1.1 reading pauses until the response is complete, so pipelined requests are
 * answered in order.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final RequestHandler handler;
    private final ExecutorService requests;
    private final int maxBodyBytes;

    Dispatcher(RequestHandler handler, ExecutorService requests, int maxBodyBytes) {
        this.handler = handler;
        this.requests = requests;
        this.maxBodyBytes = maxBodyBytes;
    }

    void install(ChannelPipeline p, boolean http2) {
        p.addLast(new Aggregator(maxBodyBytes, http2));
        p.addLast(new Inbound(http2));
    }

    /** Answers an oversized body with a Kubernetes Status instead of Netty's plain-text 413. */
    private final class Aggregator extends HttpObjectAggregator {
        private final boolean http2;

        Aggregator(int max, boolean http2) {
            super(max, true);
            this.http2 = http2;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            LOG.info("event=request_too_large remote={} limit={}", ctx.channel().remoteAddress(), maxBodyBytes);
            NettyExchange.tooLarge(ctx.channel(), http2, maxBodyBytes, HttpUtil.isKeepAlive(oversized));
        }
    }

    @ChannelHandler.Sharable
    private final class Inbound extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final boolean http2;

        Inbound(boolean http2) {
            super(false);
            this.http2 = http2;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            NettyExchange exchange;
            try {
                exchange = new NettyExchange(ctx.channel(), request, http2);
            } finally {
                request.release();
            }
            if (!http2) {
                ctx.channel().config().setAutoRead(false);
            }
            requests.execute(() -> {
                try {
                    handler.handle(exchange);
                } catch (Throwable t) {
                    LOG.error("event=handler_failed method={} uri={}", exchange.method(), exchange.uri(), t);
                    exchange.failIfUnanswered();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("event=connection_error remote={} cause={}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}

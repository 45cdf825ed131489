package io.kubevisor.http.spdy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyProtocolException;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The server side of a SPDY/3.1 session as the last handler of a pipeline whose
 * {@link SpdyFrameCodec} turns bytes into frames. Frame handling runs on the event loop; the
 * {@link SpdySession} and {@link SpdyStream} methods may be called from any thread.
 *
 * <p>What the peer may do, and what it gets: SYN_STREAM ids must be odd and increasing (a lower
 * one is a session error: GOAWAY PROTOCOL_ERROR; a repeated or even one a stream error); DATA on
 * a stream after its FIN is answered RST STREAM_ALREADY_CLOSED, DATA on a stream never opened
 * RST INVALID_STREAM, DATA on one already reset is dropped; PINGs it starts (odd ids) are echoed;
 * after its GOAWAY no new stream is accepted but open ones go on.
 */
final class SpdyConnection extends ChannelDuplexHandler implements SpdySession {

    private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);

    /** The SPDY/3.1 initial window, session and stream alike; ours is never changed. */
    static final int WINDOW = 64 * 1024;
    private static final Object END = new Object();

    private final String protocol;
    private final SpdyOptions options;
    private final SendWindows windows;
    private final Map<Integer, ServerStream> streams = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> opened = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong buffered = new AtomicLong();
    private volatile ChannelHandlerContext ctx;

    // event loop only
    private int lastStreamId;
    private volatile boolean goAwayReceived;
    private boolean readsPaused;
    private int sessionUnacked;
    private boolean overrunLogged;

    SpdyConnection(String protocol, SpdyOptions options) {
        this.protocol = protocol;
        this.options = options;
        this.windows = new SendWindows(options.windowGrace());
    }

    /** Adds the SPDY/3.1 codec and a new session to the end of {@code p}; call on its event loop. */
    static SpdyConnection install(ChannelPipeline p, String protocol, SpdyOptions options) {
        SpdyConnection session = new SpdyConnection(protocol, options);
        // Header names are not validated: a peer's upper-case name is no reason to drop the session.
        p.addLast("spdy-codec", new SpdyFrameCodec(SpdyVersion.SPDY_3_1, false));
        p.addLast("spdy-session", session);
        return session;
    }

    SendWindows windows() {
        return windows;
    }

    // ---- SpdySession ----

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public SpdyStream accept(Duration timeout) throws InterruptedException {
        Object next = opened.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == END) {
            opened.add(END); // every later call ends too
            return null;
        }
        return (SpdyStream) next;
    }

    @Override
    public boolean accepting() {
        return !goAwayReceived && isOpen();
    }

    @Override
    public boolean isOpen() {
        ChannelHandlerContext c = ctx;
        return !closing.get() && c != null && c.channel().isActive();
    }

    @Override
    public void onClose(Runnable callback) {
        closed.whenComplete((v, e) -> callback.run());
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        c.executor().execute(() -> c.writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId, SpdySessionStatus.OK))
                .addListener(ChannelFutureListener.CLOSE));
    }

    // ---- for streams, from any thread ----

    /**
     * Writes a frame. With {@code backpressure}, waits while the connection's write buffer is
     * full, so a fast writer cannot queue without bound.
     */
    void send(Object frame, boolean backpressure) throws IOException {
        ChannelHandlerContext c = ctx;
        if (c == null || !c.channel().isActive()) {
            ReferenceCountUtil.release(frame);
            throw new IOException("the SPDY connection is closed");
        }
        ChannelFuture f = c.writeAndFlush(frame);
        if (backpressure && !c.channel().isWritable() && !c.executor().inEventLoop()) {
            if (!f.awaitUninterruptibly().isSuccess()) {
                throw new IOException("writing to the SPDY connection failed", f.cause());
            }
        }
    }

    /** Our FIN on a stream; the stream is forgotten once both sides have finished. */
    void finish(ServerStream s) throws IOException {
        send(new DefaultSpdyDataFrame(s.id()).setLast(true), false);
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> {
                if (s.isRemoteFinished()) {
                    streams.remove(s.id(), s);
                }
            });
        }
    }

    /** Our RST_STREAM. */
    void resetStream(ServerStream s, SpdyStreamStatus status) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        c.executor().execute(() -> {
            if (streams.remove(s.id(), s)) {
                c.writeAndFlush(new DefaultSpdyRstStreamFrame(s.id(), status));
            }
            int dropped = s.aborted("stream " + s.id() + " was reset (" + status.statusPhrase() + ")");
            credit(null, dropped);
        });
    }

    /** The application read {@code n} bytes of {@code s}: their credit goes back to the peer. */
    void consumed(ServerStream s, int n) {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> credit(s, n));
        }
    }

    // ---- event loop ----

    /**
     * Gives {@code n} bytes of credit back: to the session always, to the stream while the peer may
     * still send on it. Updates go out once half a window has gathered, to spare frames.
     */
    private void credit(ServerStream s, int n) {
        if (n <= 0) {
            return;
        }
        long left = buffered.addAndGet(-n);
        // State first, writes last: a write may run queued tasks (an embedded loop does).
        int sessionDelta = 0;
        sessionUnacked += n;
        if (sessionUnacked >= WINDOW / 2) {
            sessionDelta = sessionUnacked;
            sessionUnacked = 0;
        }
        int streamDelta = 0;
        if (s != null && streams.get(s.id()) == s && !s.isRemoteFinished()) {
            s.unacked += n;
            if (s.unacked >= WINDOW / 2) {
                streamDelta = s.unacked;
                s.receiveWindow += s.unacked;
                s.unacked = 0;
            }
        }
        if (sessionDelta > 0) {
            ctx.write(new DefaultSpdyWindowUpdateFrame(0, sessionDelta));
        }
        if (streamDelta > 0) {
            ctx.write(new DefaultSpdyWindowUpdateFrame(s.id(), streamDelta));
        }
        if (sessionDelta > 0 || streamDelta > 0) {
            ctx.flush();
        }
        if (readsPaused && left <= options.maxBufferedBytes() / 2) {
            readsPaused = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(this::connectionClosed));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connectionClosed();
        super.channelInactive(ctx);
    }

    private void connectionClosed() {
        if (closed.isDone()) {
            return;
        }
        closing.set(true);
        windows.closeAll("the SPDY connection is closed");
        for (ServerStream s : streams.values()) {
            s.connectionLost();
        }
        streams.clear();
        opened.add(END);
        closed.complete(null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case SpdyDataFrame f -> onData(f);
                case SpdySynStreamFrame f -> onSynStream(f);
                case SpdySynReplyFrame f -> streamError(f.streamId(), SpdyStreamStatus.PROTOCOL_ERROR);
                case SpdyHeadersFrame f -> onHeaders(f);
                case SpdyRstStreamFrame f -> onReset(f);
                case SpdySettingsFrame f -> onSettings(f);
                case SpdyPingFrame f -> onPing(f);
                case SpdyGoAwayFrame f -> onGoAway();
                case SpdyWindowUpdateFrame f -> onWindowUpdate(f);
                default -> {
                    // unknown frame types are ignored, as SPDY/3.1 asks
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onSynStream(SpdySynStreamFrame f) {
        int id = f.streamId();
        if (f.isInvalid() || id % 2 == 0 || streams.containsKey(id)) {
            streamError(id, SpdyStreamStatus.PROTOCOL_ERROR);
            return;
        }
        if (id <= lastStreamId) {
            sessionError("SYN_STREAM " + id + " after " + lastStreamId);
            return;
        }
        lastStreamId = id;
        if (goAwayReceived || closing.get()) {
            streamError(id, SpdyStreamStatus.REFUSED_STREAM);
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : (Iterable<Map.Entry<String, String>>) f.headers()::iteratorAsString) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        ServerStream s = new ServerStream(this, id, Map.copyOf(headers), windows.open());
        streams.put(id, s);
        if (f.isLast()) {
            s.remoteFinished();
        }
        if (f.isUnidirectional()) {
            // the peer wants nothing back: no reply, and the stream is write-closed for us
            windows.close(s.sendWindow, "stream " + id + " is unidirectional");
        } else {
            ctx.writeAndFlush(reply(id));
        }
        opened.add(s);
    }

    /**
     * A SYN_REPLY with SPDY's HTTP status headers. Never an empty header block: Netty encodes one
     * as zero bytes (not a compressed count of 0), which Go's SPDY framer (kubectl's) cannot read.
     */
    private static DefaultSpdySynReplyFrame reply(int id) {
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
        reply.headers().set(":status", "200").set(":version", "HTTP/1.1");
        return reply;
    }

    private void onData(SpdyDataFrame f) {
        int id = f.streamId();
        int len = f.content().readableBytes();
        buffered.addAndGet(len);
        ServerStream s = streams.get(id);
        if (s == null) {
            credit(null, len);
            if (id > lastStreamId || id % 2 == 0) {
                streamError(id, SpdyStreamStatus.INVALID_STREAM);
            }
            // else: a stream already reset or finished here; its late frames are dropped
            return;
        }
        if (s.isRemoteFinished()) {
            credit(null, len);
            streams.remove(id, s);
            ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.STREAM_ALREADY_CLOSED));
            credit(null, s.aborted("stream " + id + " got data after its FIN"));
            return;
        }
        s.receiveWindow -= len;
        if (s.receiveWindow < 0 && !overrunLogged) {
            // moby/spdystream ignores windows; such a peer is tolerated, bounded by maxBufferedBytes
            overrunLogged = true;
            LOG.debug("event=spdy_peer_overran_window stream={} window={}", id, s.receiveWindow);
        }
        if (len > 0) {
            s.received(ByteBufUtil.getBytes(f.content()));
        }
        if (f.isLast()) {
            s.remoteFinished();
            if (s.isLocalFinished()) {
                streams.remove(id, s);
            }
        }
        if (!readsPaused && buffered.get() > options.maxBufferedBytes()) {
            readsPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void onHeaders(SpdyHeadersFrame f) {
        ServerStream s = streams.get(f.streamId());
        if (s == null) {
            if (f.streamId() > lastStreamId) {
                streamError(f.streamId(), SpdyStreamStatus.INVALID_STREAM);
            }
            return;
        }
        if (f.isLast()) {
            s.remoteFinished();
            if (s.isLocalFinished()) {
                streams.remove(s.id(), s);
            }
        }
    }

    private void onReset(SpdyRstStreamFrame f) {
        ServerStream s = streams.remove(f.streamId());
        if (s != null) {
            credit(null, s.aborted("stream " + f.streamId() + " was reset by the peer (" + f.status().statusPhrase() + ")"));
        }
    }

    private void onSettings(SpdySettingsFrame f) {
        if (f.isSet(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE)) {
            List<SendWindows.Window> open = new ArrayList<>();
            for (ServerStream s : streams.values()) {
                open.add(s.sendWindow);
            }
            windows.initialWindow(f.getValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE), open);
        }
    }

    private void onPing(SpdyPingFrame f) {
        // odd ids are the client's pings, to echo; even ones would answer our own, which we never send
        if ((f.id() & 1) == 1) {
            ctx.writeAndFlush(new DefaultSpdyPingFrame(f.id()));
        }
    }

    private void onGoAway() {
        goAwayReceived = true;
        opened.add(END);
    }

    private void onWindowUpdate(SpdyWindowUpdateFrame f) {
        if (f.streamId() == 0) {
            if (!windows.refillSession(f.deltaWindowSize())) {
                sessionError("session window overflow");
            }
            return;
        }
        ServerStream s = streams.get(f.streamId());
        if (s != null && !windows.refill(s.sendWindow, f.deltaWindowSize())) {
            streams.remove(s.id(), s);
            ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(s.id(), SpdyStreamStatus.FLOW_CONTROL_ERROR));
            credit(null, s.aborted("stream " + s.id() + " window overflow"));
        }
    }

    private void streamError(int id, SpdyStreamStatus status) {
        ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, status));
    }

    private void sessionError(String why) {
        LOG.debug("event=spdy_session_error remote={} cause={}", ctx.channel().remoteAddress(), why);
        closing.set(true);
        ctx.writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId, SpdySessionStatus.PROTOCOL_ERROR))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SpdyProtocolException || cause.getCause() instanceof SpdyProtocolException) {
            sessionError(cause.toString());
        } else {
            LOG.debug("event=spdy_connection_error remote={} cause={}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}

package io.kubevisor.http.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * The session behind the real SPDY/3.1 codec (compressed header blocks, frame bytes), directly
 * and tunnelled in binary WebSocket messages whose boundaries do not follow the frames'.
 */
class SpdyWireTest {

    private final EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private EmbeddedChannel server;
    private SpdyConnection session;

    @AfterEach
    void tearDown() {
        client.finishAndReleaseAll();
        if (server != null) {
            server.finishAndReleaseAll();
        }
    }

    private void direct() {
        server = new EmbeddedChannel();
        session = SpdyConnection.install(server.pipeline(), "v4.channel.k8s.io", SpdyOptions.defaults());
    }

    private void tunnelled() {
        server = new EmbeddedChannel(new WebSocketTunnel());
        session = SpdyConnection.install(server.pipeline(), "portforward.k8s.io", SpdyOptions.defaults());
    }

    /** Encodes frames as the client would send them. */
    private byte[] clientBytes(Object... frames) {
        client.writeOutbound(frames);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = client.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }

    /** What the server wrote, decoded by the client's codec. */
    private List<Object> serverFrames() {
        Object o;
        while ((o = server.readOutbound()) != null) {
            switch (o) {
                case ByteBuf b -> client.writeInbound(b); // the decoder releases it
                case BinaryWebSocketFrame f -> {
                    client.writeInbound(f.content().retain());
                    f.release();
                }
                default -> ReferenceCountUtil.release(o);
            }
        }
        List<Object> frames = new ArrayList<>();
        while ((o = client.readInbound()) != null) {
            frames.add(o);
        }
        return frames;
    }

    private static DefaultSpdySynStreamFrame syn(int id, String... headers) {
        DefaultSpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        for (int i = 0; i < headers.length; i += 2) {
            f.headers().add(headers[i], headers[i + 1]);
        }
        return f;
    }

    @Test
    void compressedHeadersAndDataSurviveTheCodecBothWays() throws Exception {
        direct();
        server.writeInbound(Unpooled.wrappedBuffer(clientBytes(syn(1, "streamtype", "stdin"),
                syn(3, "streamtype", "stdout"),
                new DefaultSpdyDataFrame(1, Unpooled.copiedBuffer("ls -l\n", StandardCharsets.UTF_8)).setLast(true))));

        SpdyStream stdin = session.accept(Duration.ZERO);
        SpdyStream stdout = session.accept(Duration.ZERO);
        assertThat(stdin.header("streamType")).isEqualTo("stdin");
        assertThat(stdout.header("streamType")).isEqualTo("stdout");
        assertThat(new String(stdin.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ls -l\n");

        stdout.output().write("total 0\n".getBytes(StandardCharsets.UTF_8));
        stdout.output().close();

        List<Object> frames = serverFrames();
        assertThat(frames).hasSize(4);
        // a reply's header block must decode (Go's framer rejects an empty one)
        assertThat(frames.subList(0, 2)).allMatch(f -> f instanceof SpdySynReplyFrame r && !r.isInvalid());
        SpdyDataFrame data = (SpdyDataFrame) frames.get(2);
        assertThat(data.streamId()).isEqualTo(3);
        assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("total 0\n");
        assertThat(((SpdyDataFrame) frames.get(3)).isLast()).isTrue();
        frames.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aGarbledFrameEndsTheSessionWithGoAway() {
        direct();
        // a control frame of version 2: SPDY/3.1 only
        server.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x02, 0x00, 0x01, 0, 0, 0, 10,
                0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));

        assertThat(serverFrames()).singleElement().isInstanceOf(SpdyGoAwayFrame.class);
        assertThat(server.isActive()).isFalse();
    }

    @Test
    void framesSplitAcrossAndPackedIntoWebSocketMessagesAreReassembled() throws Exception {
        tunnelled();
        byte[] bytes = clientBytes(syn(1, "streamtype", "error", "port", "8080", "requestid", "0"),
                syn(3, "streamtype", "data", "port", "8080", "requestid", "0"),
                new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.UTF_8)));
        for (int i = 0; i < bytes.length; i += 7) {
            server.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes, i, Math.min(7, bytes.length - i))));
        }

        SpdyStream error = session.accept(Duration.ZERO);
        SpdyStream data = session.accept(Duration.ZERO);
        assertThat(session.protocol()).isEqualTo("portforward.k8s.io");
        assertThat(error.header("port")).isEqualTo("8080");
        assertThat(data.header("requestID")).isEqualTo("0");
        byte[] got = new byte[18];
        assertThat(data.input().readNBytes(got, 0, 18)).isEqualTo(18);
        assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("GET / HTTP/1.1\r\n\r\n");

        data.output().write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.UTF_8));
        List<Object> frames = serverFrames();
        assertThat(frames).hasSize(3);
        assertThat(((SpdyDataFrame) frames.get(2)).content().toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
        frames.forEach(ReferenceCountUtil::release);
    }

    @Test
    void theTunnelAnswersPingsAndClosesWithACloseFrame() throws Exception {
        tunnelled();
        server.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        PongWebSocketFrame pong = server.readOutbound();
        assertThat(pong.content().readableBytes()).isEqualTo(2);
        pong.release();

        session.close();
        server.runPendingTasks();

        Object first = server.readOutbound();
        assertThat(first).isInstanceOf(BinaryWebSocketFrame.class); // the GOAWAY
        client.writeInbound(((BinaryWebSocketFrame) first).content().retain());
        ReferenceCountUtil.release(first);
        assertThat((Object) client.readInbound()).isInstanceOf(SpdyGoAwayFrame.class);
        Object close = server.readOutbound();
        assertThat(close).isInstanceOfSatisfying(CloseWebSocketFrame.class, c -> assertThat(c.statusCode()).isEqualTo(1000));
        ReferenceCountUtil.release(close);
        assertThat(server.isActive()).isFalse();
    }

    @Test
    void aClientCloseFrameIsAnsweredAndEndsTheSession() throws Exception {
        tunnelled();
        server.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(clientBytes(syn(1, "streamtype", "data"), new DefaultSpdyGoAwayFrame(1)))));
        server.writeInbound(new CloseWebSocketFrame(1000, ""));
        server.runPendingTasks();

        assertThat(session.accept(Duration.ZERO)).isNotNull();
        assertThat(session.accept(Duration.ZERO)).isNull();
        assertThat(server.isActive()).isFalse();
    }

    @Test
    void textMessagesAreRefused() {
        tunnelled();
        server.writeInbound(new TextWebSocketFrame("hello"));

        Object close = server.readOutbound();
        assertThat(close).isInstanceOfSatisfying(CloseWebSocketFrame.class, c -> assertThat(c.statusCode()).isEqualTo(1003));
        ReferenceCountUtil.release(close);
        assertThat(server.isActive()).isFalse();
    }
}

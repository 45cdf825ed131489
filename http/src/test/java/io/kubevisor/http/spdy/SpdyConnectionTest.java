package io.kubevisor.http.spdy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

/** Frame-level behaviour of the server session, driven through an EmbeddedChannel on one thread. */
class SpdyConnectionTest {

    private final SpdyConnection session = new SpdyConnection("v4.channel.k8s.io", SpdyOptions.defaults());
    private final EmbeddedChannel ch = new EmbeddedChannel(session);

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    private static DefaultSpdySynStreamFrame syn(int id, String... headers) {
        DefaultSpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) 0, false);
        for (int i = 0; i < headers.length; i += 2) {
            f.headers().add(headers[i], headers[i + 1]);
        }
        return f;
    }

    private static SpdyDataFrame data(int id, String text) {
        return new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static SpdyDataFrame data(int id, int size) {
        return new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(new byte[size]));
    }

    /** All frames written so far, in order; DATA payloads copied out and released. */
    private List<Object> written() {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private SpdyStream open(int id, String... headers) throws InterruptedException {
        ch.writeInbound(syn(id, headers));
        SpdyStream s = session.accept(Duration.ZERO);
        assertThat(s).as("stream %d handed out", id).isNotNull();
        return s;
    }

    private static String text(SpdyDataFrame f) {
        return f.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachStreamIsRepliedAtOnceAndHandedOutWithItsHeaders() throws Exception {
        ch.writeInbound(syn(1, "streamtype", "error"), syn(3, "streamType", "data", "port", "80", "requestid", "0"));

        List<Object> out = written();
        assertThat(out).hasSize(2).allMatch(f -> f instanceof SpdySynReplyFrame);
        assertThat(out).extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(1, 3);
        SpdyStream first = session.accept(Duration.ZERO);
        SpdyStream second = session.accept(Duration.ZERO);
        assertThat(first.id()).isEqualTo(1);
        assertThat(first.header("streamType")).isEqualTo("error");
        assertThat(second.header("STREAMTYPE")).isEqualTo("data");
        assertThat(second.header("port")).isEqualTo("80");
        assertThat(second.header("requestID")).isEqualTo("0");
        assertThat(session.accept(Duration.ofMillis(10))).isNull();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void dataIsReadInOrderAndTheFinEndsTheInput() throws Exception {
        SpdyStream s = open(1);
        ch.writeInbound(data(1, "hello "), data(1, "world").setLast(true));

        assertThat(new String(s.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(s.input().read()).isEqualTo(-1);
    }

    @Test
    void writesBecomeDataFramesAndCloseSendsAnEmptyFin() throws Exception {
        SpdyStream s = open(1);
        written();
        byte[] payload = new byte[40_000];
        Arrays.fill(payload, (byte) 'x');

        s.output().write(payload);
        s.output().close();

        List<Object> out = written();
        int total = 0;
        for (Object o : out.subList(0, out.size() - 1)) {
            SpdyDataFrame f = (SpdyDataFrame) o;
            assertThat(f.streamId()).isEqualTo(1);
            assertThat(f.isLast()).isFalse();
            assertThat(f.content().readableBytes()).isLessThanOrEqualTo(ServerStream.MAX_DATA_FRAME);
            total += f.content().readableBytes();
        }
        assertThat(total).isEqualTo(payload.length);
        SpdyDataFrame fin = (SpdyDataFrame) out.getLast();
        assertThat(fin.isLast()).isTrue();
        assertThat(fin.content().readableBytes()).isZero();
        out.forEach(ReferenceCountUtil::release);
        assertThatThrownBy(() -> s.output().write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void afterBothFinsTheStreamIsGoneAndLateDataIsIgnored() throws Exception {
        SpdyStream s = open(1);
        ch.writeInbound(data(1, "in").setLast(true));
        s.output().close();
        ch.runPendingTasks();
        written().forEach(ReferenceCountUtil::release);

        ch.writeInbound(data(1, "late"));

        assertThat(written()).as("no RST for a stream already closed both ways").isEmpty();
        assertThat(new String(s.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("in");
    }

    @Test
    void aResetFromThePeerFailsReadsAndWrites() throws Exception {
        SpdyStream s = open(1);
        ch.writeInbound(data(1, "unread"), new DefaultSpdyRstStreamFrame(1, SpdyStreamStatus.CANCEL));

        assertThatThrownBy(() -> s.input().read()).isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThatThrownBy(() -> s.output().write(new byte[10])).isInstanceOf(IOException.class);
    }

    @Test
    void resetSendsRstStreamCancelAndDropsLaterFrames() throws Exception {
        SpdyStream s = open(1);
        written();

        s.reset();
        ch.runPendingTasks();
        ch.writeInbound(data(1, "after reset"));

        List<Object> out = written();
        assertThat(out).singleElement().isInstanceOfSatisfying(SpdyRstStreamFrame.class, r -> {
            assertThat(r.streamId()).isEqualTo(1);
            assertThat(r.status()).isEqualTo(SpdyStreamStatus.CANCEL);
        });
    }

    @Test
    void dataAfterThePeersFinIsAStreamError() throws Exception {
        open(1);
        ch.writeInbound(data(1, "x").setLast(true));
        written();

        ch.writeInbound(data(1, "more"));

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyRstStreamFrame.class,
                r -> assertThat(r.status()).isEqualTo(SpdyStreamStatus.STREAM_ALREADY_CLOSED));
    }

    @Test
    void dataOnAStreamNeverOpenedIsInvalidStream() {
        ch.writeInbound(data(5, "who?"));

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyRstStreamFrame.class, r -> {
            assertThat(r.streamId()).isEqualTo(5);
            assertThat(r.status()).isEqualTo(SpdyStreamStatus.INVALID_STREAM);
        });
    }

    @Test
    void aLowerStreamIdThanOneAlreadyOpenedEndsTheSession() throws Exception {
        open(3);
        written();

        ch.writeInbound(syn(1));

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyGoAwayFrame.class, g -> {
            assertThat(g.status()).isEqualTo(SpdySessionStatus.PROTOCOL_ERROR);
            assertThat(g.lastGoodStreamId()).isEqualTo(3);
        });
        assertThat(ch.isActive()).isFalse();
        assertThat(session.accept(Duration.ZERO)).isNull();
    }

    @Test
    void streamsNeedNotArriveInTheOrderTheyAreUsedButIdsMustRise() throws Exception {
        // kubectl's port-forward opens error then data streams per connection, interleaved across connections
        ch.writeInbound(syn(1, "streamtype", "error", "requestid", "0"), syn(3, "streamtype", "error", "requestid", "1"),
                syn(5, "streamtype", "data", "requestid", "1"), syn(7, "streamtype", "data", "requestid", "0"));

        List<String> order = new ArrayList<>();
        SpdyStream s;
        while ((s = session.accept(Duration.ZERO)) != null) {
            order.add(s.header("streamtype") + s.header("requestid"));
        }
        assertThat(order).containsExactly("error0", "error1", "data1", "data0");
    }

    @Test
    void aRepeatedOrEvenStreamIdIsAStreamErrorOnly() throws Exception {
        open(1);
        written();

        ch.writeInbound(syn(1), syn(4));

        assertThat(written()).extracting(f -> ((SpdyRstStreamFrame) f).streamId() + ":" + ((SpdyRstStreamFrame) f).status().code())
                .containsExactly("1:" + SpdyStreamStatus.PROTOCOL_ERROR.code(), "4:" + SpdyStreamStatus.PROTOCOL_ERROR.code());
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void aSynStreamWithFinHasNoInput() throws Exception {
        ch.writeInbound(syn(1, "streamtype", "error").setLast(true));
        SpdyStream s = session.accept(Duration.ZERO);

        assertThat(s.input().read()).isEqualTo(-1);
        s.output().write("status".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headersWithFinEndTheInput() throws Exception {
        SpdyStream s = open(1);
        ch.writeInbound(data(1, "a"), new DefaultSpdyHeadersFrame(1).setLast(true));

        assertThat(s.input().readAllBytes()).containsExactly('a');
    }

    @Test
    void pingsFromThePeerAreEchoed() {
        ch.writeInbound(new DefaultSpdyPingFrame(1), new DefaultSpdyPingFrame(2), new DefaultSpdyPingFrame(7));

        assertThat(written()).extracting(f -> ((SpdyPingFrame) f).id()).containsExactly(1, 7);
    }

    @Test
    void afterTheClientsGoAwayNoNewStreamIsAcceptedButOpenOnesGoOn() throws Exception {
        ch.writeInbound(syn(1));
        ch.writeInbound(new DefaultSpdyGoAwayFrame(0));
        ch.writeInbound(syn(3));
        written();

        SpdyStream s = session.accept(Duration.ZERO);
        assertThat(s.id()).isEqualTo(1);
        assertThat(session.accept(Duration.ZERO)).isNull();
        assertThat(session.accepting()).isFalse();
        assertThat(session.isOpen()).isTrue();
        assertThat(session.accept(Duration.ZERO)).as("stays ended").isNull();
        ch.writeInbound(data(1, "still flowing").setLast(true));
        assertThat(new String(s.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("still flowing");
        s.output().write("reply".getBytes(StandardCharsets.UTF_8));
        assertThat(((SpdyDataFrame) ch.readOutbound()).streamId()).isEqualTo(1);
    }

    @Test
    void aStreamOpenedAfterGoAwayIsRefused() {
        ch.writeInbound(new DefaultSpdyGoAwayFrame(0), syn(1));

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyRstStreamFrame.class,
                r -> assertThat(r.status()).isEqualTo(SpdyStreamStatus.REFUSED_STREAM));
    }

    @Test
    void closeSendsGoAwayNamingTheLastStreamThenCloses() throws Exception {
        open(1);
        open(5);
        written();
        List<String> events = new ArrayList<>();
        session.onClose(() -> events.add("closed"));

        session.close();
        ch.runPendingTasks();

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyGoAwayFrame.class, g -> {
            assertThat(g.status()).isEqualTo(SpdySessionStatus.OK);
            assertThat(g.lastGoodStreamId()).isEqualTo(5);
        });
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        assertThat(events).containsExactly("closed");
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void readingGivesCreditBackToStreamAndSessionInHalfWindows() throws Exception {
        SpdyStream s = open(1);
        written();
        ch.writeInbound(data(1, 20_000), data(1, 20_000));

        byte[] buf = new byte[40_000];
        int n = s.input().readNBytes(buf, 0, 30_000);
        ch.runPendingTasks();
        assertThat(n).isEqualTo(30_000);
        assertThat(written()).as("under half a window read: no update yet").isEmpty();

        s.input().readNBytes(buf, 0, 10_000);
        ch.runPendingTasks();

        List<Object> out = written();
        assertThat(out).hasSize(2).allMatch(f -> f instanceof SpdyWindowUpdateFrame);
        assertThat(out).extracting(f -> ((SpdyWindowUpdateFrame) f).streamId() + ":" + ((SpdyWindowUpdateFrame) f).deltaWindowSize())
                .containsExactlyInAnyOrder("0:40000", "1:40000");
    }

    @Test
    void noStreamCreditAfterThePeersFinButSessionCreditStill() throws Exception {
        SpdyStream s = open(1);
        written();
        ch.writeInbound(data(1, 40_000).setLast(true));

        s.input().readAllBytes();
        ch.runPendingTasks();

        assertThat(written()).singleElement().isInstanceOfSatisfying(SpdyWindowUpdateFrame.class,
                u -> assertThat(u.streamId()).isZero());
    }

    @Test
    void aPeerThatIgnoresOurWindowIsToleratedAndReadingPausesPastTheBufferLimit() throws Exception {
        SpdyStream s = open(1);
        written();
        for (int i = 0; i < 70; i++) {
            ch.writeInbound(data(1, 16 * 1024)); // 1.1 MiB, far past the 64 KiB window
        }
        assertThat(ch.config().isAutoRead()).as("reading paused past 1 MiB unread").isFalse();
        assertThat(written()).as("an overrun is not punished").isEmpty();

        byte[] buf = new byte[70 * 16 * 1024];
        assertThat(s.input().readNBytes(buf, 0, buf.length)).isEqualTo(buf.length);
        ch.runPendingTasks();

        assertThat(ch.config().isAutoRead()).isTrue();
        written().forEach(ReferenceCountUtil::release);
    }

    @Test
    void whenTheConnectionDropsReadsFailAfterWhatArrivedAndAcceptEnds() throws Exception {
        SpdyStream s = open(1);
        ch.writeInbound(data(1, "partial"));

        ch.close();
        ch.runPendingTasks();

        byte[] got = new byte[7];
        assertThat(s.input().readNBytes(got, 0, 7)).isEqualTo(7);
        assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("partial");
        assertThatThrownBy(() -> s.input().read()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> s.output().write(1)).isInstanceOf(IOException.class);
        assertThat(session.accept(Duration.ZERO)).isNull();
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void closingTheInputDropsUnreadDataAndGivesItsCreditBack() throws Exception {
        SpdyStream s = open(1);
        written();
        ch.writeInbound(data(1, 40_000));

        s.input().close();
        ch.runPendingTasks();

        assertThat(written()).extracting(f -> ((SpdyWindowUpdateFrame) f).streamId()).containsExactlyInAnyOrder(0, 1);
        assertThatThrownBy(() -> s.input().read()).isInstanceOf(IOException.class);
    }
}

package io.kubevisor.http.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;

/**
 * The send side of flow control with real threads: a writer blocks on an exhausted window until
 * the peer's WINDOW_UPDATE, or, for a peer that has never shown flow control (kubectl's
 * spdystream), goes on after the grace period. Frames travel as objects over Netty's in-VM
 * transport; the "client" is this test.
 */
class SendWindowsTest {

    private EventLoopGroup group;
    private Channel client;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<SpdyConnection> server = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
        LocalAddress address = new LocalAddress("spdy-" + System.nanoTime());
        new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        SpdyConnection s = new SpdyConnection("portforward.k8s.io",
                                new SpdyOptions(Duration.ofMillis(300), 1 << 20));
                        ch.pipeline().addLast(s);
                        server.complete(s);
                    }
                }).bind(address).sync();
        client = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.add(msg);
                    }
                }).connect(address).sync().channel();
    }

    @AfterEach
    void stop() {
        client.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SpdyStream open(int id) throws Exception {
        client.writeAndFlush(new DefaultSpdySynStreamFrame(id, 0, (byte) 0)).sync();
        SpdyStream s = server.get(5, TimeUnit.SECONDS).accept(Duration.ofSeconds(5));
        assertThat(received.poll(5, TimeUnit.SECONDS)).isInstanceOf(SpdySynReplyFrame.class);
        return s;
    }

    /** Waits until the server has handled everything sent so far: a PING's echo comes after it. */
    private void barrier() throws Exception {
        client.writeAndFlush(new io.netty.handler.codec.spdy.DefaultSpdyPingFrame(99)).sync();
        Object o;
        while (!((o = received.poll(5, TimeUnit.SECONDS)) instanceof io.netty.handler.codec.spdy.SpdyPingFrame)) {
            assertThat(o).as("PING echo").isNotNull();
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    /** DATA bytes received for the stream within {@code quiet} of the last frame. */
    private int drain(Duration quiet) throws InterruptedException {
        int total = 0;
        Object o;
        while ((o = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            if (o instanceof SpdyDataFrame d) {
                total += d.content().readableBytes();
                d.release();
            }
        }
        return total;
    }

    private static CompletableFuture<Void> write(SpdyStream s, int size) {
        return CompletableFuture.runAsync(() -> {
            try {
                s.output().write(new byte[size]);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void aPeerThatKeepsWindowsGetsNoMoreThanItsWindowUntilItsUpdate() throws Exception {
        SpdyStream s = open(1);
        // shows it keeps windows, and leaves the stream window as the limit
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, 100_000)).sync();
        barrier();

        CompletableFuture<Void> writer = write(s, 100_000);
        assertThat(drain(Duration.ofMillis(600))).as("the stream window, 64 KiB").isEqualTo(65_536);
        assertThat(writer).as("still waiting, past the grace period").isNotDone();

        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(1, 10_000)).sync();
        assertThat(drain(Duration.ofMillis(400))).as("what the update allows").isEqualTo(10_000);

        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(1, 50_000)).sync();
        writer.get(5, TimeUnit.SECONDS);
        assertThat(drain(Duration.ofMillis(300))).isEqualTo(100_000 - 75_536);
    }

    @Test
    void theSessionWindowIsSharedByAllStreams() throws Exception {
        SpdyStream a = open(1);
        SpdyStream b = open(3);
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(1, 100_000)).sync();
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(3, 100_000)).sync();
        barrier();

        CompletableFuture<Void> wa = write(a, 40_000);
        CompletableFuture<Void> wb = write(b, 40_000);

        assertThat(drain(Duration.ofMillis(600))).as("the session window, 64 KiB").isEqualTo(65_536);
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, 20_000)).sync();
        CompletableFuture.allOf(wa, wb).get(5, TimeUnit.SECONDS);
        assertThat(drain(Duration.ofMillis(300))).isEqualTo(80_000 - 65_536);
    }

    @Test
    void initialWindowSettingMovesEveryOpenStreamWindow() throws Exception {
        SpdyStream s = open(1);
        DefaultSpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 10_000);
        client.writeAndFlush(settings).sync();
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, 1_000_000)).sync();
        barrier();

        CompletableFuture<Void> writer = write(s, 30_000);

        assertThat(drain(Duration.ofMillis(600))).isEqualTo(10_000);
        assertThat(writer).isNotDone();
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(1, 20_000)).sync();
        writer.get(5, TimeUnit.SECONDS);
        assertThat(drain(Duration.ofMillis(300))).isEqualTo(20_000);
    }

    @Test
    void aPeerThatNeverSendsWindowUpdatesIsServedAfterTheGracePeriod() throws Exception {
        SpdyStream s = open(1);
        long start = System.nanoTime();

        write(s, 300_000).get(5, TimeUnit.SECONDS);
        s.output().close();

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(drain(Duration.ofMillis(300))).isEqualTo(300_000);
        assertThat(millis).as("one wait of the grace period, then no more").isBetween(250L, 2_000L);
        assertThat(server.get().windows().peer()).isEqualTo(SendWindows.Peer.IGNORES_WINDOWS);
    }

    @Test
    void aWriterWaitingForAWindowFailsWhenTheStreamIsReset() throws Exception {
        SpdyStream s = open(1);
        client.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, 1)).sync();
        barrier();
        CompletableFuture<Void> writer = write(s, 100_000);
        drain(Duration.ofMillis(300));

        client.writeAndFlush(new io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame(1,
                io.netty.handler.codec.spdy.SpdyStreamStatus.CANCEL)).sync();

        assertThat(writer).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("reset");
    }
}

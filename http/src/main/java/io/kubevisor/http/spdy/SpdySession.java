package io.kubevisor.http.spdy;

import java.time.Duration;

/**
 * The server side of one SPDY/3.1 session, on an upgraded HTTP/1.1 connection or tunnelled in
 * WebSocket messages. The peer (kubectl) opens the streams; each is answered with a SYN_REPLY as
 * soon as it arrives, as Kubernetes' servers do (kubectl waits for each reply before it opens the
 * next stream), and then handed out by {@link #accept}. Thread-safe; meant for virtual threads.
 */
public interface SpdySession extends AutoCloseable {

    /**
     * The protocol agreed at the upgrade: the chosen {@code X-Stream-Protocol-Version} (e.g.
     * {@code v4.channel.k8s.io}, {@code portforward.k8s.io}), with the tunnel's {@code SPDY/3.1+}
     * prefix removed.
     */
    String protocol();

    /**
     * The next stream the peer opened, waiting at most {@code timeout}. Streams come out in the
     * order they were opened; each is handed out once and then belongs to the caller.
     *
     * @return the stream, or null when the timeout elapsed or the peer can open no more streams
     *         (it sent GOAWAY or the connection is gone: then {@link #isOpen()} tells which)
     */
    SpdyStream accept(Duration timeout) throws InterruptedException;

    /**
     * Whether the peer may still open streams: the connection is up, neither side has closed
     * the session and no GOAWAY came. Streams already opened may go on after it turns false.
     */
    boolean accepting();

    /** Whether the connection is still up and this side has not closed the session. */
    boolean isOpen();

    /** Runs {@code callback} once the connection has closed, for whatever reason (at once if it has). */
    void onClose(Runnable callback);

    /**
     * Ends the session: sends GOAWAY (status OK, naming the last stream the peer opened) after
     * every frame already written, then closes the connection. Idempotent; never blocks.
     */
    @Override
    void close();
}

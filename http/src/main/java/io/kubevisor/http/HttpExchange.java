package io.kubevisor.http;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * One HTTP request and the means to answer it, independent of HTTP/1.1 or HTTP/2. Handlers run
 * on virtual threads and may block; every method is safe to call from any thread.
 *
 * <p>Exactly one of {@link #respond} or {@link #stream} may be called, once.
 */
public interface HttpExchange {

    String method();

    /** The raw request target: path and query, still percent-encoded. */
    String uri();

    HttpHeaders headers();

    /** The request body; empty array when none. Owned by the exchange; do not mutate. */
    byte[] body();

    /** The client's certificate chain from TLS, or empty. */
    List<X509Certificate> peerCertificates();

    InetSocketAddress remoteAddress();

    /** "HTTP/1.1" or "HTTP/2". */
    String protocol();

    /** Sends a complete response. */
    void respond(int status, HttpHeaders headers, byte[] body);

    /** Starts a streamed (chunked) response, e.g. a watch or a followed log. */
    ResponseStream stream(int status, HttpHeaders headers);

    /** Whether the client asks to upgrade this request to a WebSocket. */
    default boolean wantsWebSocket() {
        return headers().containsValue("Upgrade", "websocket", true)
                && headers().containsValue("Connection", "upgrade", true);
    }

    /**
     * Completes the WebSocket handshake (101) and hands over the connection. Only HTTP/1.1
     * exchanges can upgrade.
     *
     * @param subprotocol the subprotocol to answer with, or null for none
     * @return the session, or null when this exchange cannot upgrade (the caller answers instead)
     */
    default WebSocketSession upgradeToWebSocket(String subprotocol) {
        return null;
    }

    /**
     * Completes the WebSocket handshake (101) and hands the connection's pipeline to {@code install}
     * instead of wrapping it in a {@link WebSocketSession}: the handlers it adds at the end receive
     * and send Netty {@code WebSocketFrame}s. For protocols carried inside WebSocket messages (SPDY
     * tunnelled for port-forward). {@code install} runs once, on the connection's event loop.
     *
     * @param subprotocol the subprotocol to answer with, or null for none
     * @return false when this exchange cannot upgrade (HTTP/2, or not a WebSocket request): the
     *         caller answers instead
     */
    default boolean upgradeToWebSocket(String subprotocol, Consumer<ChannelPipeline> install) {
        return false;
    }

    /**
     * Answers {@code 101 Switching Protocols} with {@code responseHeaders} (which name the new
     * protocol) and hands the raw connection over: the HTTP codec is removed and {@code install}
     * adds the handlers that speak the new protocol on the bytes that follow (SPDY/3.1 for
     * exec, attach and port-forward). {@code install} runs once, on the connection's event loop.
     * Only HTTP/1.1 exchanges can switch.
     *
     * @return false when this exchange cannot switch (the caller answers instead)
     */
    default boolean switchProtocols(HttpHeaders responseHeaders, Consumer<ChannelPipeline> install) {
        return false;
    }
}

package io.kubevisor.http.spdy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.kubevisor.http.HttpExchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Starting a {@link SpdySession} on an exchange, the two ways kubectl asks for one:
 * <ul>
 * <li>an HTTP/1.1 upgrade: {@code Upgrade: SPDY/3.1}, {@code Connection: Upgrade} and one
 * {@code X-Stream-Protocol-Version} header per protocol the client speaks, answered
 * {@code 101 Switching Protocols} with the chosen {@code X-Stream-Protocol-Version}; SPDY frames
 * follow on the raw connection (exec/attach before kubectl 1.30, port-forward always);</li>
 * <li>a WebSocket whose subprotocol is {@code SPDY/3.1+<protocol>}, each binary message carrying
 * SPDY frame bytes (port-forward from kubectl 1.31, {@code SPDY/3.1+portforward.k8s.io}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SpdyUpgrade {

    /** The {@code Upgrade} token. */
    public static final String SPDY_31 = "SPDY/3.1";
    /** The prefix of WebSocket subprotocols that tunnel SPDY. */
    public static final String TUNNEL_PREFIX = "SPDY/3.1+";
    /** The header that offers (request) and names (response) the stream protocol. */
    public static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
    /** The header listing what the server accepts, sent when nothing offered was. */
    public static final String ACCEPTED_HEADER = "X-Accepted-Stream-Protocol-Versions";

    private SpdyUpgrade() {
    }

    /** Whether the request asks for an HTTP upgrade to SPDY/3.1. */
    public static boolean requested(HttpHeaders request) {
        return containsToken(request.getAll("Upgrade"), SPDY_31) && containsToken(request.getAll("Connection"), "upgrade");
    }

    /** The {@code X-Stream-Protocol-Version} values offered, in the client's order (repeated or comma-separated). */
    public static List<String> offered(HttpHeaders request) {
        return tokens(request.getAll(PROTOCOL_HEADER));
    }

    /**
     * The protocol to speak: the client's first offer that the server supports (the client's
     * preference decides, as in Kubernetes' {@code httpstream.Handshake}).
     */
    public static Optional<String> negotiate(List<String> offered, List<String> supported) {
        for (String p : offered) {
            if (supported.contains(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The tunnelling WebSocket subprotocol to answer with: the client's first
     * {@code Sec-WebSocket-Protocol} offer of the form {@code SPDY/3.1+<p>} with {@code <p>} in
     * {@code supported}.
     */
    public static Optional<String> tunnelSubprotocol(HttpHeaders request, List<String> supported) {
        for (String p : tokens(request.getAll("Sec-WebSocket-Protocol"))) {
            if (p.regionMatches(true, 0, TUNNEL_PREFIX, 0, TUNNEL_PREFIX.length())
                    && supported.contains(p.substring(TUNNEL_PREFIX.length()))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Answers 101 with {@code X-Stream-Protocol-Version: protocol} and starts the session on the
     * raw connection. The exchange is answered by this call.
     *
     * @return the session, owned by the caller (close it when done); null when the exchange cannot
     *         switch protocols (HTTP/2), in which case the caller still has to answer
     */
    public static SpdySession upgrade(HttpExchange exchange, String protocol, SpdyOptions options) {
        HttpHeaders h = new DefaultHttpHeaders()
                .set("Connection", "Upgrade")
                .set("Upgrade", SPDY_31)
                .set(PROTOCOL_HEADER, protocol);
        AtomicReference<SpdyConnection> session = new AtomicReference<>();
        boolean switched = exchange.switchProtocols(h,
                p -> session.set(SpdyConnection.install(p, protocol, options)));
        return switched ? session.get() : null;
    }

    /**
     * Completes the WebSocket handshake with {@code subprotocol} (a {@code SPDY/3.1+<p>} offer)
     * and starts the session inside its binary messages. The exchange is answered by this call.
     *
     * @return the session, whose {@link SpdySession#protocol()} is {@code <p>}; null when the
     *         exchange cannot upgrade, in which case the caller still has to answer
     */
    public static SpdySession upgradeTunnel(HttpExchange exchange, String subprotocol, SpdyOptions options) {
        String inner = subprotocol.substring(TUNNEL_PREFIX.length());
        AtomicReference<SpdyConnection> session = new AtomicReference<>();
        boolean upgraded = exchange.upgradeToWebSocket(subprotocol, p -> {
            p.addLast("spdy-tunnel", new WebSocketTunnel());
            session.set(SpdyConnection.install(p, inner, options));
        });
        return upgraded ? session.get() : null;
    }

    private static boolean containsToken(List<String> values, String token) {
        for (String t : tokens(values)) {
            if (t.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tokens(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }
}

package io.kubevisor.apiserver.nodeproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.http.spdy.SpdySession;
import io.kubevisor.http.spdy.SpdyStream;

/**
 * port-forward for a SPDY client (every kubectl; 1.31+ tunnels the SPDY in a WebSocket), served by
 * the kubelet's WebSocket port-forward protocol.
 *
 * <p>For each local connection kubectl opens two streams with the same {@code requestID} and
 * {@code port} headers: {@code streamType: error}, at once half-closed, and {@code data}. Each
 * pair gets its own kubelet WebSocket ({@code /portForward/ns/pod?port=P}, {@code v4.channel.k8s.io},
 * channel 0 data, channel 1 error, each starting with the port as two little-endian bytes, which
 * are dropped here). One socket per connection rather than one per port shared by the
 * connections: that protocol has no way to end one connection on a shared socket (its channels
 * cannot be half-closed or reset), while closing a socket of its own ends exactly one.
 * <ul>
 * <li>data stream → channel 0; its FIN (the local client is done) closes the socket, the only
 * end of input the protocol has: what the kubelet sent before closing still arrives;</li>
 * <li>channel 0 → data stream; channel 1 (the kubelet's error text) → error stream;</li>
 * <li>the kubelet closing, or refusing the socket (its message to the error stream), ends both
 * streams with FIN, data first, as kubectl waits for data then error.</li>
 * </ul>
 */
public final class PortForwardBridge {

    private static final Logger LOG = LoggerFactory.getLogger(PortForwardBridge.class);

    /** The protocol kubectl asks for, plain or behind {@code SPDY/3.1+}. */
    public static final String PROTOCOL = "portforward.k8s.io";
    /** How long the second stream of a pair may keep kubectl waiting, as the kubelet's default. */
    public static final Duration PAIR_TIMEOUT = Duration.ofSeconds(30);

    /** Opens the kubelet socket for one forwarded connection to {@code port}. */
    @FunctionalInterface
    public interface Dialer {
        /** @throws ApiException when the kubelet cannot be reached or refuses */
        KubeletSocket dial(int port);
    }

    private static final class Pair {
        final long created = System.nanoTime();
        SpdyStream data;
        SpdyStream error;
    }

    private final SpdySession session;
    private final Dialer dialer;

    public PortForwardBridge(SpdySession session, Dialer dialer) {
        this.session = session;
        this.dialer = dialer;
    }

    /** Serves connections until the client ends the session. Blocks the calling thread. */
    public void run() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        session.onClose(closed::countDown);
        Map<String, Pair> pending = new HashMap<>();
        try {
            while (session.accepting()) {
                SpdyStream s = session.accept(Duration.ofSeconds(1));
                expire(pending);
                if (s == null) {
                    continue;
                }
                String type = s.header("streamType");
                String id = requestId(s, type);
                if (id == null) {
                    s.reset();
                    continue;
                }
                Pair p = pending.computeIfAbsent(id, k -> new Pair());
                if (type.equals("data") && p.data == null) {
                    p.data = s;
                } else if (type.equals("error") && p.error == null) {
                    p.error = s;
                } else {
                    s.reset();
                    continue;
                }
                if (p.data != null && p.error != null) {
                    pending.remove(id);
                    Thread.ofVirtual().name("port-forward-" + id).start(() -> forward(p.data, p.error));
                }
            }
            closed.await();
        } finally {
            pending.values().forEach(p -> {
                if (p.data != null) {
                    p.data.reset();
                }
                if (p.error != null) {
                    p.error.reset();
                }
            });
            session.close();
        }
    }

    /**
     * The pair a stream belongs to: its {@code requestID}, or for clients that send none, the
     * kubelet's guess from consecutive ids (error n, data n+2).
     */
    private static String requestId(SpdyStream s, String type) {
        if (!"data".equals(type) && !"error".equals(type)) {
            return null;
        }
        String id = s.header("requestID");
        if (id != null) {
            return id;
        }
        return "#" + (type.equals("error") ? s.id() : s.id() - 2);
    }

    private static void expire(Map<String, Pair> pending) {
        for (Iterator<Pair> it = pending.values().iterator(); it.hasNext();) {
            Pair p = it.next();
            if (System.nanoTime() - p.created > PAIR_TIMEOUT.toNanos()) {
                it.remove();
                if (p.error != null) {
                    write(p.error.output(), "timed out waiting for the data stream".getBytes(StandardCharsets.UTF_8));
                    close(p.error.output());
                }
                if (p.data != null) {
                    p.data.reset();
                }
            }
        }
    }

    private void forward(SpdyStream data, SpdyStream error) {
        int port = port(data.header("port"));
        if (port < 0) {
            fail(data, error, "invalid port \"" + data.header("port") + "\"");
            return;
        }
        KubeletSocket kubelet;
        try {
            kubelet = dialer.dial(port);
        } catch (ApiException e) {
            fail(data, error, e.getMessage());
            return;
        }
        session.onClose(kubelet::abort);
        Thread.ofVirtual().name("port-forward-up").start(() -> upstream(data.input(), kubelet));
        int[] prefix = {2, 2};
        OutputStream dataOut = data.output();
        OutputStream errorOut = error.output();
        try {
            byte[] m;
            while ((m = kubelet.receive()) != null) {
                if (m.length == 0 || (m[0] != 0 && m[0] != 1)) {
                    continue;
                }
                int ch = m[0];
                int skip = Math.min(prefix[ch], m.length - 1);
                prefix[ch] -= skip;
                int from = 1 + skip;
                if (from < m.length) {
                    if (!write(ch == 0 ? dataOut : errorOut, Arrays.copyOfRange(m, from, m.length)) && ch == 0) {
                        break; // the client reset the data stream: this connection is over
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kubelet.close();
            close(dataOut);
            close(errorOut);
        }
    }

    private static void upstream(InputStream in, KubeletSocket kubelet) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf, 1, buf.length - 1)) >= 0) {
                if (n > 0) {
                    buf[0] = 0;
                    kubelet.send(Arrays.copyOf(buf, n + 1));
                }
            }
            kubelet.close();
        } catch (IOException e) {
            LOG.debug("event=port_forward_upstream_ended cause={}", e.toString());
            kubelet.abort();
        }
    }

    private static void fail(SpdyStream data, SpdyStream error, String message) {
        LOG.info("event=port_forward_failed port={} cause={}", data.header("port"), message);
        close(data.output());
        write(error.output(), message.getBytes(StandardCharsets.UTF_8));
        close(error.output());
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value == null ? "" : value.strip());
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // reset or gone
        }
    }
}

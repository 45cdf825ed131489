package io.kubevisor.apiserver.nodeproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.http.spdy.SpdySession;
import io.kubevisor.http.spdy.SpdyStream;
import tools.jackson.databind.JsonNode;

/**
 * exec and attach for a SPDY client (kubectl ≤ 1.29, or later ones told not to use WebSockets),
 * served by the kubelet over a WebSocket of the channel protocol.
 *
 * <p>kubectl opens one SPDY stream per {@code streamType} header: {@code error} always, then
 * {@code stdin}, {@code stdout}, {@code stderr} (not with a TTY) and {@code resize} (TTY, v3+) as
 * the request asked, each waiting for its reply. Once all are here, bytes move:
 * <ul>
 * <li>stdin stream → channel 0; its FIN → {@code [255, 0]} when the kubelet speaks v5 (v4 cannot
 * say stdin ended);</li>
 * <li>resize stream, one JSON object per line → channel 4, one message per line;</li>
 * <li>channels 1 and 2 → stdout and stderr streams;</li>
 * <li>channel 3, the final Status → the error stream (v4/v5: the Status JSON as is, which is how
 * kubectl learns an exit code; v2/v3: a failure's message as text).</li>
 * </ul>
 * When the kubelet closes, every stream gets its FIN (error last) and the session ends with GOAWAY.
 */
public final class RemoteCommandBridge {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandBridge.class);

    /** What kubectl may ask for over SPDY, newest first; v1 ({@code channel.k8s.io}) is not served. */
    public static final List<String> SPDY_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io");
    /** What we ask of the kubelet: v5 can carry the end of stdin. */
    public static final List<String> KUBELET_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    /** How long kubectl has to open its streams, as the kubelet's default. */
    public static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

    /** Which streams the request asked for. */
    public record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

        /** The {@code streamType}s kubectl opens for these options under {@code protocol}. */
        Set<String> types(String protocol) {
            Set<String> t = new LinkedHashSet<>();
            t.add("error");
            if (stdin) {
                t.add("stdin");
            }
            if (stdout) {
                t.add("stdout");
            }
            if (stderr && !tty) {
                t.add("stderr");
            }
            if (tty && !protocol.equals("v2.channel.k8s.io")) {
                t.add("resize");
            }
            return t;
        }
    }

    private final SpdySession session;
    private final KubeletSocket kubelet;
    private final Streams wanted;
    private final Duration creationTimeout;

    public RemoteCommandBridge(SpdySession session, KubeletSocket kubelet, Streams wanted, Duration creationTimeout) {
        this.session = session;
        this.kubelet = kubelet;
        this.wanted = wanted;
        this.creationTimeout = creationTimeout;
    }

    /** Relays until the kubelet or the client ends; closes both. Blocks the calling thread. */
    public void run() throws InterruptedException {
        session.onClose(kubelet::close);
        try {
            Map<String, SpdyStream> streams = collect();
            if (streams == null) {
                return;
            }
            relay(streams);
        } finally {
            kubelet.close();
            session.close();
        }
    }

    /** The streams kubectl opens, in whatever order; null when it did not open them all in time. */
    private Map<String, SpdyStream> collect() throws InterruptedException {
        Set<String> types = wanted.types(session.protocol());
        Map<String, SpdyStream> got = new HashMap<>();
        long deadline = System.nanoTime() + creationTimeout.toNanos();
        while (got.size() < types.size()) {
            long left = deadline - System.nanoTime();
            SpdyStream s = left > 0 ? session.accept(Duration.ofNanos(left)) : null;
            if (s == null) {
                LOG.info("event=exec_streams_incomplete protocol={} wanted={} got={}", session.protocol(), types, got.keySet());
                SpdyStream error = got.get("error");
                if (error != null && session.isOpen()) {
                    writeQuietly(error, status(new ApiException.InternalError(
                            "timed out waiting for client to create streams")));
                }
                return null;
            }
            String type = s.header("streamType");
            if (type == null || !types.contains(type) || got.containsKey(type)) {
                s.reset();
                continue;
            }
            got.put(type, s);
        }
        return got;
    }

    private void relay(Map<String, SpdyStream> streams) throws InterruptedException {
        boolean v5 = "v5.channel.k8s.io".equals(kubelet.subprotocol());
        SpdyStream stdin = streams.get("stdin");
        SpdyStream resize = streams.get("resize");
        if (stdin != null) {
            Thread.ofVirtual().name("exec-stdin").start(() -> pump(stdin.input(), v5));
        }
        if (resize != null) {
            Thread.ofVirtual().name("exec-resize").start(() -> resizes(resize.input()));
        }
        OutputStream stdout = output(streams.get("stdout"));
        OutputStream stderr = output(streams.get("stderr"));
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        byte[] message;
        while ((message = kubelet.receive()) != null) {
            if (message.length == 0) {
                continue;
            }
            switch (message[0]) {
                case 1 -> stdout = copy(stdout, message);
                case 2 -> stderr = copy(stderr, message);
                case 3 -> status.write(message, 1, message.length - 1);
                default -> {
                    // other channels are not for a SPDY client
                }
            }
        }
        closeQuietly(stdout);
        closeQuietly(stderr);
        SpdyStream error = streams.get("error");
        if (status.size() > 0) {
            writeQuietly(error, errorStreamBody(status.toByteArray()));
        }
        closeQuietly(error.output());
        if (stdin != null) {
            closeQuietly(stdin.output());
        }
        if (resize != null) {
            closeQuietly(resize.output());
        }
    }

    /** The Status as kubectl expects it on the error stream for the agreed protocol. */
    private byte[] errorStreamBody(byte[] statusJson) {
        String protocol = session.protocol();
        if (protocol.equals("v4.channel.k8s.io") || protocol.equals("v5.channel.k8s.io")) {
            return statusJson;
        }
        try {
            JsonNode s = Json.parse(new String(statusJson, StandardCharsets.UTF_8));
            if (s.path("status").asString("").equals("Success")) {
                return new byte[0];
            }
            return s.path("message").asString("error executing command").getBytes(StandardCharsets.UTF_8);
        } catch (ApiException notJson) {
            return statusJson;
        }
    }

    private static byte[] status(ApiException e) {
        return Json.bytes(e.toStatus());
    }

    private void pump(InputStream in, boolean v5) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf, 1, buf.length - 1)) >= 0) {
                if (n > 0) {
                    buf[0] = 0;
                    kubelet.send(java.util.Arrays.copyOf(buf, n + 1));
                }
            }
            if (v5) {
                kubelet.send(new byte[] {(byte) 255, 0});
            }
        } catch (IOException e) {
            LOG.debug("event=exec_stdin_ended cause={}", e.toString());
        }
    }

    private void resizes(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        sendResize(line.toByteArray());
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
            sendResize(line.toByteArray());
        } catch (IOException e) {
            LOG.debug("event=exec_resize_ended cause={}", e.toString());
        }
    }

    private void sendResize(byte[] json) throws IOException {
        if (json.length == 0) {
            return;
        }
        byte[] message = new byte[json.length + 1];
        message[0] = 4;
        System.arraycopy(json, 0, message, 1, json.length);
        kubelet.send(message);
    }

    private static OutputStream output(SpdyStream s) {
        return s == null ? null : s.output();
    }

    /** Copies a channel's payload; a stream the client reset is dropped (null) and its data with it. */
    private static OutputStream copy(OutputStream out, byte[] message) {
        if (out == null) {
            return null;
        }
        try {
            out.write(message, 1, message.length - 1);
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeQuietly(SpdyStream s, byte[] body) {
        try {
            s.output().write(body);
        } catch (IOException e) {
            // the client is gone: nothing to tell
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // already reset or gone
        }
    }
}

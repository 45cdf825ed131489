package io.kubevisor.e2e.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.wiring.ServerWiring;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.HttpServer;
import io.kubevisor.http.WebSocketSession;
import io.netty.handler.codec.http.DefaultHttpHeaders;

/**
 * A TEST-ONLY stand-in for a node's kubelet endpoint, serving the kubelet side of Kubernetes'
 * WebSocket streaming protocols, so that the API server's translation can be tested against real
 * kubectl before the real node agent exists. It runs nothing: its "commands" are canned.
 *
 * <ul>
 * <li>{@code /exec/ns/pod/container?command=…} and {@code /attach/…}, subprotocol
 * {@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}: byte 0 of each binary message is the
 * channel (0 stdin, 1 stdout, 2 stderr, 3 Status, 4 resize, 255 close); ends with a Status on
 * channel 3, then a Close frame. Commands: {@code echo ARGS} prints ARGS; {@code fail N} prints
 * "out" and "err" (stderr) and exits N; {@code cat} copies stdin to stdout until stdin ends;
 * {@code winsize} waits for a resize and prints "size WxH". attach prints "attached to
 * CONTAINER" then copies stdin if there is one.</li>
 * <li>{@code /portForward/ns/pod?port=P}, subprotocol {@code v4.channel.k8s.io}: channel 0 data and
 * 1 error, each first carrying P as two little-endian bytes; data goes to a local TCP port mapped
 * from P, or an error message when none is.</li>
 * </ul>
 */
final class KubeletStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<Integer, Integer> ports;
    /** Request targets received, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    private KubeletStub(Map<Integer, Integer> ports) throws Exception {
        this.ports = ports;
        ClusterCa ca = ClusterCa.create("kubelet-stub-ca", Duration.ofDays(1), java.time.Clock.systemUTC());
        KeyMaterial serving = ca.issueServing(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(1));
        this.server = HttpServer.start(new HttpServer.Options("127.0.0.1", 0, 1 << 20, 1),
                ServerWiring.tls(serving, ca), this::handle);
    }

    /**
     * Starts the stub.
     *
     * @param ports pod port → local TCP port that port-forward reaches
     */
    static KubeletStub start(Map<Integer, Integer> ports) throws Exception {
        return new KubeletStub(ports);
    }

    int port() {
        return server.address().getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange ex) {
        requests.add(ex.uri());
        String[] pathAndQuery = ex.uri().split("\\?", 2);
        String[] path = pathAndQuery[0].substring(1).split("/");
        Map<String, List<String>> query = query(pathAndQuery.length > 1 ? pathAndQuery[1] : "");
        if (!ex.wantsWebSocket()) {
            text(ex, 400, "Upgrade request required");
            return;
        }
        String offered = ex.headers().get("Sec-WebSocket-Protocol", "");
        switch (path[0]) {
            case "exec", "attach" -> {
                String protocol = offered.contains("v5.channel.k8s.io") ? "v5.channel.k8s.io"
                        : offered.contains("v4.channel.k8s.io") ? "v4.channel.k8s.io" : null;
                if (protocol == null || path.length != 4) {
                    text(ex, 400, "unsupported request");
                    return;
                }
                WebSocketSession ws = ex.upgradeToWebSocket(protocol);
                LinkedBlockingQueue<byte[]> in = inbox(ws);
                runCommand(ws, in, path[0].equals("attach") ? List.of("attach", path[3]) : query.getOrDefault("command", List.of()),
                        query.containsKey("stdin"), protocol.startsWith("v5"));
            }
            case "portForward" -> {
                List<String> p = query.getOrDefault("port", List.of());
                if (p.size() != 1 || !offered.contains("v4.channel.k8s.io")) {
                    text(ex, 400, "one port, subprotocol v4.channel.k8s.io");
                    return;
                }
                WebSocketSession ws = ex.upgradeToWebSocket("v4.channel.k8s.io");
                forward(ws, inbox(ws), Integer.parseInt(p.getFirst()), path[1] + "/" + path[2]);
            }
            default -> text(ex, 404, "not found");
        }
    }

    private static LinkedBlockingQueue<byte[]> inbox(WebSocketSession ws) {
        LinkedBlockingQueue<byte[]> in = new LinkedBlockingQueue<>();
        ws.onMessage(in::add);
        ws.onClose(() -> in.add(new byte[0]));
        return in;
    }

    private void runCommand(WebSocketSession ws, LinkedBlockingQueue<byte[]> in, List<String> command, boolean stdin,
                            boolean v5) {
        int code = 0;
        try {
            String verb = command.isEmpty() ? "" : command.getFirst();
            List<String> args = command.isEmpty() ? List.of() : command.subList(1, command.size());
            switch (verb) {
                case "echo" -> send(ws, 1, String.join(" ", args) + "\n");
                case "fail" -> {
                    send(ws, 1, "out\n");
                    send(ws, 2, "err\n");
                    code = Integer.parseInt(args.getFirst());
                }
                case "cat" -> copyStdin(ws, in);
                case "winsize" -> {
                    byte[] m;
                    while ((m = in.poll(20, TimeUnit.SECONDS)) != null && m.length > 0 && m[0] != 4) {
                        // stdin until the first resize
                    }
                    if (m != null && m.length > 0) {
                        var size = io.kubevisor.api.Json.parse(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
                        send(ws, 1, "size " + size.path("Width").asInt() + "x" + size.path("Height").asInt() + "\r\n");
                    }
                }
                case "attach" -> {
                    send(ws, 1, "attached to " + args.getFirst() + "\n");
                    if (stdin) {
                        copyStdin(ws, in);
                    }
                }
                default -> {
                    send(ws, 2, "no such command: " + verb + "\n");
                    code = 127;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String status = code == 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
                : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
                        + "error executing command [" + String.join(" ", command) + "], exit code " + code
                        + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                        + code + "\"}]}}";
        send(ws, 3, status);
        ws.close(1000, "");
    }

    /** stdin to stdout until stdin ends ([255, 0] in v5) or the socket closes; resizes are ignored. */
    private void copyStdin(WebSocketSession ws, LinkedBlockingQueue<byte[]> in) throws InterruptedException {
        while (true) {
            byte[] m = in.take();
            if (m.length == 0 || (m[0] & 0xff) == 255) {
                return;
            }
            if (m[0] == 0) {
                ws.sendBinary(withChannel(1, Arrays.copyOfRange(m, 1, m.length)));
            }
        }
    }

    private void forward(WebSocketSession ws, LinkedBlockingQueue<byte[]> in, int port, String pod) {
        byte[] prefix = {(byte) (port & 0xff), (byte) (port >> 8)};
        ws.sendBinary(withChannel(0, prefix));
        ws.sendBinary(withChannel(1, prefix));
        Integer target = ports.get(port);
        Socket socket;
        try {
            if (target == null) {
                throw new IOException("connection refused");
            }
            socket = new Socket("127.0.0.1", target);
        } catch (IOException e) {
            ws.sendBinary(withChannel(1, ("error forwarding port " + port + " to pod " + pod + ": " + e.getMessage())
                    .getBytes(StandardCharsets.UTF_8)));
            ws.close(1000, "");
            return;
        }
        Thread.ofVirtual().start(() -> {
            try (InputStream fromPod = socket.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = fromPod.read(buf)) > 0) {
                    ws.sendBinary(withChannel(0, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // the socket closed
            }
            ws.close(1000, "");
        });
        try (socket; OutputStream toPod = socket.getOutputStream()) {
            while (true) {
                byte[] m = in.take();
                if (m.length == 0) {
                    return;
                }
                if (m[0] == 0 && m.length > 1) {
                    toPod.write(m, 1, m.length - 1);
                    toPod.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // done
        }
    }

    private static void send(WebSocketSession ws, int channel, String text) {
        ws.sendBinary(withChannel(channel, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] withChannel(int channel, byte[] data) {
        byte[] m = new byte[data.length + 1];
        m[0] = (byte) channel;
        System.arraycopy(data, 0, m, 1, data.length);
        return m;
    }

    private static void text(HttpExchange ex, int status, String body) {
        ex.respond(status, new DefaultHttpHeaders().set("Content-Type", "text/plain"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> query(String q) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            String[] p = kv.split("=", 2);
            out.computeIfAbsent(URLDecoder.decode(p[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    InetSocketAddress address() {
        return server.address();
    }
}

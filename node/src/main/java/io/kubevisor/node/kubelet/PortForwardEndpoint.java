package io.kubevisor.node.kubelet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.WebSocketSession;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.PortForwarder;

/**
 * {@code /portForward/{ns}/{pod}[/{uid}]?port=8080[&port=9090]} over a WebSocket, Kubernetes'
 * WebSocket port-forward protocol ({@code v4.channel.k8s.io}, or no subprotocol): port number i
 * uses channel 2i for data and 2i+1 for errors, and the first message the server sends on each of
 * them carries the port as two little-endian bytes. One TCP connection per port; the WebSocket
 * closes when every connection has ended. ({@code ports=8080,9090} is accepted too.) Stateless.
 */
final class PortForwardEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(PortForwardEndpoint.class);

    private PortForwardEndpoint() {
    }

    static void serve(HttpExchange ex, Query q, PodRef pod, PortForwarder forwarder) {
        List<Integer> ports;
        try {
            ports = ports(q);
        } catch (IllegalArgumentException e) {
            Replies.status(ex, 400, "BadRequest", e.getMessage());
            return;
        }
        if (!ex.wantsWebSocket()) {
            Replies.status(ex, 400, "BadRequest", "this node serves port-forward over WebSocket ("
                    + Subprotocols.V4 + ") only");
            return;
        }
        List<String> offered = Subprotocols.offered(ex);
        String protocol = Subprotocols.choose(offered, List.of(Subprotocols.V4));
        if (protocol == null && !offered.isEmpty()) {
            Replies.status(ex, 400, "BadRequest", "no supported WebSocket subprotocol offered; this node speaks "
                    + Subprotocols.V4 + " for port-forward");
            return;
        }
        WebSocketSession ws = ex.upgradeToWebSocket(protocol);
        if (ws == null) {
            Replies.status(ex, 400, "BadRequest", "cannot upgrade this request to a WebSocket");
            return;
        }
        ChannelStreams streams = new ChannelStreams(ws, false, null);
        List<Thread> connections = new ArrayList<>();
        try {
            for (int i = 0; i < ports.size(); i++) {
                int port = ports.get(i);
                byte[] prefix = {(byte) (port & 0xff), (byte) ((port >> 8) & 0xff)};
                streams.send(2 * i, prefix);
                streams.send(2 * i + 1, prefix);
            }
        } catch (IOException e) {
            return;
        }
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            int data = 2 * i;
            connections.add(Thread.ofVirtual().name("portforward-" + pod + "-" + port).start(() -> {
                try {
                    forwarder.forward(pod, port, streams.input(data), streams.output(data));
                } catch (RuntimeException e) {
                    String msg = "error forwarding port " + port + " to pod " + pod.name() + ": " + e.getMessage();
                    LOG.info("event=portforward_failed pod={} port={} cause=\"{}\"", pod, port, e.getMessage());
                    try {
                        streams.send(data + 1, msg.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException gone) {
                        // the client left: nothing to tell
                    }
                }
            }));
        }
        ws.onClose(() -> connections.forEach(Thread::interrupt));
        for (Thread t : connections) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ws.close(1000, "");
    }

    static List<Integer> ports(Query q) {
        List<Integer> out = new ArrayList<>();
        List<String> raw = new ArrayList<>(q.all("port"));
        raw.addAll(q.all("ports"));
        for (String r : raw) {
            for (String p : r.split(",")) {
                if (p.isBlank()) {
                    continue;
                }
                int port;
                try {
                    port = Integer.parseInt(p.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unable to parse \"" + p + "\" as a port");
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port \"" + p + "\" must be between 1 and 65535");
                }
                out.add(port);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("query parameter \"port\" is required");
        }
        return out;
    }
}

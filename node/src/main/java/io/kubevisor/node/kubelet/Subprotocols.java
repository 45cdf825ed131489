package io.kubevisor.node.kubelet;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.http.HttpExchange;

/** WebSocket subprotocol negotiation: the server's preference order wins among those offered. Stateless. */
final class Subprotocols {

    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";

    private Subprotocols() {
    }

    /** The subprotocols the client offered, in its order. */
    static List<String> offered(HttpExchange ex) {
        List<String> out = new ArrayList<>();
        for (String h : ex.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String p : h.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }

    /** The first of {@code supported} the client offered, or null. */
    static String choose(List<String> offered, List<String> supported) {
        for (String s : supported) {
            if (offered.contains(s)) {
                return s;
            }
        }
        return null;
    }
}

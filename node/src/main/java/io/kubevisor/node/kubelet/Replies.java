package io.kubevisor.node.kubelet;

import io.kubevisor.api.Json;
import io.kubevisor.http.HttpExchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import tools.jackson.databind.node.ObjectNode;

/** Answers as the kubelet does: plain text for health, Status JSON for errors. Stateless. */
final class Replies {

    private Replies() {
    }

    static void text(HttpExchange ex, int code, String body) {
        HttpHeaders h = new DefaultHttpHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.respond(code, h, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static void json(HttpExchange ex, int code, byte[] body) {
        HttpHeaders h = new DefaultHttpHeaders().set("Content-Type", "application/json");
        ex.respond(code, h, body);
    }

    /** A metav1.Status failure. */
    static void status(HttpExchange ex, int code, String reason, String message) {
        json(ex, code, Json.bytes(failure(code, reason, message)));
    }

    static ObjectNode failure(int code, String reason, String message) {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return s;
    }
}

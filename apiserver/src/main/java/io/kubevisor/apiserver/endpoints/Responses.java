package io.kubevisor.apiserver.endpoints;

import java.nio.charset.StandardCharsets;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.apiserver.request.Rendering;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Writes API responses: JSON, YAML and Status errors, with warnings. */
public final class Responses {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Responses() {
    }

    public static HttpHeaders headers(String contentType) {
        return new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }

    /** Sends an object as JSON, or YAML when the client asked for it. */
    public static void send(HttpExchange ex, int status, JsonNode body, Rendering rendering, Warnings warnings) {
        HttpHeaders h;
        byte[] bytes;
        if (rendering instanceof Rendering.AsYaml) {
            h = headers("application/yaml");
            bytes = YAML.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } else {
            h = headers("application/json");
            bytes = Json.bytes(body);
        }
        if (warnings != null) {
            warnings.addTo(h);
        }
        ex.respond(status, h, bytes);
    }

    public static void json(HttpExchange ex, int status, JsonNode body) {
        ex.respond(status, headers("application/json"), Json.bytes(body));
    }

    public static void json(HttpExchange ex, int status, JsonNode body, String contentType) {
        ex.respond(status, headers(contentType), Json.bytes(body));
    }

    public static void text(HttpExchange ex, int status, String body) {
        ex.respond(status, headers("text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    public static void error(HttpExchange ex, ApiException e) {
        ex.respond(e.code(), headers("application/json"), Json.bytes(e.toStatus()));
    }
}

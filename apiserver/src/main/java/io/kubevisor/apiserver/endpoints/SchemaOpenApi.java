package io.kubevisor.apiserver.endpoints;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.openapi.OpenApiV2;
import io.kubevisor.api.openapi.OpenApiV3;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.apiserver.request.Query;

/**
 * OpenAPI v3 (index and one document per group version) and v2 (protobuf for kubectl 1.27/1.28,
 * JSON otherwise), built on first use and kept: the catalog never changes while a server runs.
 */
public final class SchemaOpenApi implements OpenApiEndpoints {

    private final ResourceCatalog catalog;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public SchemaOpenApi(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    private byte[] cached(String key, Supplier<byte[]> build) {
        return cache.computeIfAbsent(key, k -> build.get());
    }

    @Override
    public void serve(HttpExchange ex, String path, Query query) {
        switch (path) {
            case "/openapi/v3" -> send(ex, "application/json", cached("v3", () -> OpenApiV3.index(catalog)));
            case "/openapi/v2" -> {
                String accept = ex.headers().get("Accept", "");
                if (accept.contains("protobuf")) {
                    send(ex, OpenApiV2.PROTOBUF_CONTENT_TYPE, cached("v2pb", () -> OpenApiV2.protobuf(catalog)));
                } else {
                    send(ex, "application/json", cached("v2json", () -> OpenApiV2.json(catalog)));
                }
            }
            default -> {
                if (!path.startsWith("/openapi/v3/")) {
                    throw ApiException.NotFound.path();
                }
                String gv = path.substring("/openapi/v3/".length());
                String group;
                String version;
                String[] parts = gv.split("/");
                if (parts.length == 2 && parts[0].equals("api")) {
                    group = "";
                    version = parts[1];
                } else if (parts.length == 3 && parts[0].equals("apis")) {
                    group = parts[1];
                    version = parts[2];
                } else {
                    throw ApiException.NotFound.path();
                }
                if (!catalog.servesGroupVersion(group, version)) {
                    throw ApiException.NotFound.path();
                }
                send(ex, "application/json", cached("v3:" + gv, () -> OpenApiV3.document(catalog, group, version)));
            }
        }
    }

    private static void send(HttpExchange ex, String contentType, byte[] body) {
        ex.respond(200, Responses.headers(contentType), body);
    }
}

package io.kubevisor.api.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A throwaway HTTP server for testing the OpenAPI documents against the real kubectl: it serves
 * legacy discovery, the OpenAPI v2/v3 documents, and answers any POST by echoing the body with
 * 201. It is not an API server; it only exists so kubectl fetches and uses the documents.
 */
final class StubApiServer implements AutoCloseable {

    /** One request kubectl made: method, path and query. */
    record Request(String method, String path, String query) {
    }

    private final HttpServer server;
    private final ResourceCatalog catalog;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final byte[] v2Proto;
    private final byte[] v2Json;

    StubApiServer(ResourceCatalog catalog) throws IOException {
        this.catalog = catalog;
        this.v2Proto = OpenApiV2.protobuf(catalog);
        this.v2Json = OpenApiV2.json(catalog);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            requests.add(new Request(ex.getRequestMethod(), path, query == null ? "" : query));
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (ex.getRequestMethod().equals("POST")) {
                reply(ex, 201, "application/json", body);
                return;
            }
            if (path.equals("/version")) {
                reply(ex, 200, "application/json", "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}"
                        .getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/api")) {
                ObjectNode v = Json.object().put("kind", "APIVersions");
                v.putArray("versions").add("v1");
                json(ex, v);
            } else if (path.equals("/apis")) {
                json(ex, groups());
            } else if (path.equals("/api/v1") || path.startsWith("/apis/") && path.split("/").length == 4) {
                json(ex, resources(path));
            } else if (path.equals("/openapi/v3")) {
                reply(ex, 200, "application/json", OpenApiV3.index(catalog));
            } else if (path.startsWith("/openapi/v3/")) {
                String[] p = path.substring("/openapi/v3/".length()).split("/");
                String group = p[0].equals("api") ? "" : p[1];
                String version = p[p.length - 1];
                reply(ex, 200, "application/json", OpenApiV3.document(catalog, group, version));
            } else if (path.equals("/openapi/v2")) {
                String accept = ex.getRequestHeaders().getFirst("Accept");
                if (accept != null && accept.contains("protobuf")) {
                    reply(ex, 200, OpenApiV2.PROTOBUF_CONTENT_TYPE, v2Proto);
                } else {
                    reply(ex, 200, "application/json", v2Json);
                }
            } else {
                reply(ex, 404, "application/json", ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private ObjectNode groups() {
        ObjectNode list = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (String g : catalog.groups()) {
            if (g.isEmpty()) {
                continue;
            }
            ObjectNode group = groups.addObject().put("name", g);
            ArrayNode versions = group.putArray("versions");
            for (String v : catalog.versions(g)) {
                versions.addObject().put("groupVersion", g + "/" + v).put("version", v);
            }
            group.putObject("preferredVersion").put("groupVersion", g + "/" + catalog.versions(g).getFirst())
                    .put("version", catalog.versions(g).getFirst());
        }
        return list;
    }

    private ObjectNode resources(String path) {
        String[] p = path.split("/");
        String group = p[1].equals("api") ? "" : p[2];
        String version = p[p.length - 1];
        ObjectNode list = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode rs = list.putArray("resources");
        for (ResourceType r : catalog.resources(group, version)) {
            ObjectNode n = rs.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = n.putArray("verbs");
            r.verbs().forEach(verbs::add);
            ArrayNode shorts = n.putArray("shortNames");
            r.shortNames().forEach(shorts::add);
        }
        return list;
    }

    private static void json(HttpExchange ex, ObjectNode body) throws IOException {
        reply(ex, 200, "application/json", Json.bytes(body));
    }

    private static void reply(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

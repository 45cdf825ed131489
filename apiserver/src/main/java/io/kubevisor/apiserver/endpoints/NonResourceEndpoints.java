package io.kubevisor.apiserver.endpoints;

import java.util.List;
import java.util.Set;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.apiserver.ApiServerConfig;
import io.kubevisor.apiserver.KubernetesVersion;
import io.kubevisor.apiserver.discovery.Discovery;
import io.kubevisor.http.HttpExchange;
import io.kubevisor.apiserver.metrics.ApiMetrics;
import io.kubevisor.apiserver.request.Query;
import io.kubevisor.store.Store;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Health, version, metrics, discovery and OpenAPI: every URL that is not a resource. */
public final class NonResourceEndpoints {

    /** Paths served without authentication (like Kubernetes' system:public-info-viewer). */
    private static final Set<String> PUBLIC = Set.of("/healthz", "/livez", "/readyz", "/version");

    private final Discovery discovery;
    private final ApiServerConfig config;
    private final ApiMetrics metrics;
    private final Store store;
    private final OpenApiEndpoints openapi;

    public NonResourceEndpoints(ResourceCatalog catalog, ApiServerConfig config, ApiMetrics metrics, Store store,
                                OpenApiEndpoints openapi) {
        this.discovery = new Discovery(catalog);
        this.config = config;
        this.metrics = metrics;
        this.store = store;
        this.openapi = openapi;
    }

    public static boolean isPublic(String path) {
        if (PUBLIC.contains(path)) {
            return true;
        }
        for (String p : List.of("/healthz/", "/livez/", "/readyz/")) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    public void serve(HttpExchange ex, String path, Query query) {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        if (path.startsWith("/healthz") || path.startsWith("/livez") || path.startsWith("/readyz")) {
            health(ex, path);
            return;
        }
        if (path.startsWith("/openapi/")) {
            openapi.serve(ex, path, query);
            return;
        }
        switch (path) {
            case "/" -> Responses.json(ex, 200, rootPaths());
            case "/version" -> Responses.json(ex, 200, KubernetesVersion.info());
            case "/metrics" -> ex.respond(200, Responses.headers("text/plain; version=0.0.4; charset=utf-8"),
                    metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "/api" -> {
                String agg = aggregatedVersion(ex.headers().get("Accept"));
                if (agg != null) {
                    Responses.json(ex, 200, discovery.aggregated(true, agg), Discovery.aggregatedMediaType(agg));
                } else {
                    Responses.json(ex, 200, discovery.coreVersions(config.advertiseAddress()));
                }
            }
            case "/apis" -> {
                String agg = aggregatedVersion(ex.headers().get("Accept"));
                if (agg != null) {
                    Responses.json(ex, 200, discovery.aggregated(false, agg), Discovery.aggregatedMediaType(agg));
                } else {
                    Responses.json(ex, 200, discovery.groupList());
                }
            }
            default -> discoveryPath(ex, path);
        }
    }

    private void discoveryPath(HttpExchange ex, String path) {
        String[] parts = path.substring(1).split("/");
        ObjectNode doc = null;
        if (parts.length == 2 && parts[0].equals("api")) {
            doc = discovery.resourceList("", parts[1]);
        } else if (parts.length == 2 && parts[0].equals("apis")) {
            doc = discovery.group(parts[1]);
        } else if (parts.length == 3 && parts[0].equals("apis")) {
            doc = discovery.resourceList(parts[1], parts[2]);
        }
        if (doc == null) {
            throw ApiException.NotFound.path();
        }
        Responses.json(ex, 200, doc);
    }

    /** The aggregated discovery version the client asked for first, or null for legacy discovery. */
    static String aggregatedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String entry : accept.split(",")) {
            String e = entry.replace(" ", "");
            if (e.contains("g=apidiscovery.k8s.io") && e.contains("as=APIGroupDiscoveryList")) {
                if (e.contains("v=v2beta1")) {
                    return "v2beta1";
                }
                if (e.contains("v=v2")) {
                    return "v2";
                }
            }
            if (e.startsWith("application/json") && !e.contains("g=")) {
                return null;
            }
        }
        return null;
    }

    private void health(HttpExchange ex, String path) {
        try {
            store.currentRevision();
        } catch (RuntimeException e) {
            Responses.text(ex, 500, "[-]etcd failed: " + e.getMessage() + "\nhealthz check failed\n");
            return;
        }
        Responses.text(ex, 200, "ok");
    }

    private static ObjectNode rootPaths() {
        ObjectNode o = Json.object();
        ArrayNode p = o.putArray("paths");
        for (String s : List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/metrics", "/openapi/v2",
                "/openapi/v3", "/readyz", "/version")) {
            p.add(s);
        }
        return o;
    }
}

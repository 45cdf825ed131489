package io.kubevisor.apiserver.endpoints;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.meta.Timestamps;
import io.kubevisor.apiserver.nodeproxy.KubeletClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code metrics.k8s.io/v1beta1} pods and nodes ({@code kubectl top}), computed on request from
 * every node's {@code /stats/summary} — what metrics-server serves through aggregation in
 * Kubernetes, served here directly.
 */
final class MetricsEndpoint {

    private final KubeletClient kubelet;
    private final Supplier<List<ObjectNode>> nodes;
    private final Function<String, Optional<ObjectNode>> node;

    MetricsEndpoint(KubeletClient kubelet, Supplier<List<ObjectNode>> nodes, Function<String, Optional<ObjectNode>> node) {
        this.kubelet = kubelet;
        this.nodes = nodes;
        this.node = node;
    }

    void serve(ResourceContext ctx) {
        String verb = ctx.info().verb();
        if (!verb.equals("get") && !verb.equals("list")) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        boolean podsWanted = ctx.type().kind().equals("PodMetrics");
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode summary : summaries()) {
            if (podsWanted) {
                for (JsonNode p : summary.path("pods")) {
                    String ns = p.path("podRef").path("namespace").asString("");
                    if (!ctx.namespace().isEmpty() && !ns.equals(ctx.namespace())) {
                        continue;
                    }
                    items.add(podMetrics(p));
                }
            } else {
                items.add(nodeMetrics(summary.path("node")));
            }
        }
        if (!ctx.name().isEmpty()) {
            ObjectNode one = items.stream().filter(i -> i.path("metadata").path("name").asString("").equals(ctx.name()))
                    .findFirst().orElseThrow(() -> new ApiException.NotFound("metrics.k8s.io",
                            podsWanted ? "pods" : "nodes", ctx.name()));
            Responses.send(ctx.exchange(), 200, one, ctx.rendering(), ctx.warnings());
            return;
        }
        ObjectNode list = Json.object();
        list.put("kind", podsWanted ? "PodMetricsList" : "NodeMetricsList");
        list.put("apiVersion", "metrics.k8s.io/v1beta1");
        list.putObject("metadata");
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        Responses.send(ctx.exchange(), 200, list, ctx.rendering(), ctx.warnings());
    }

    /** Every reachable node's summary, fetched in parallel; unreachable nodes are left out. */
    private List<JsonNode> summaries() {
        if (kubelet == null) {
            return List.of();
        }
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (ObjectNode n : nodes.get()) {
            calls.add(() -> {
                URI base = PodStreamEndpoint.kubeletBase(n);
                try (InputStream in = kubelet.get(base.resolve("/stats/summary"))) {
                    return Json.parse(in);
                }
            });
        }
        List<JsonNode> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> futures = new ArrayList<>();
            calls.forEach(c -> futures.add(pool.submit(c)));
            for (Future<JsonNode> f : futures) {
                try {
                    out.add(f.get(10, TimeUnit.SECONDS));
                } catch (Exception unreachable) {
                    // a node that does not answer has no metrics, as with metrics-server
                }
            }
        }
        return out;
    }

    private static ObjectNode podMetrics(JsonNode p) {
        ObjectNode m = Json.object();
        m.put("kind", "PodMetrics");
        m.put("apiVersion", "metrics.k8s.io/v1beta1");
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", p.path("podRef").path("name").asString(""));
        meta.put("namespace", p.path("podRef").path("namespace").asString(""));
        meta.put("creationTimestamp", Timestamps.format(Instant.now()));
        m.put("timestamp", time(p.path("cpu")));
        m.put("window", "10s");
        ArrayNode containers = m.putArray("containers");
        for (JsonNode c : p.path("containers")) {
            ObjectNode cm = containers.addObject();
            cm.put("name", c.path("name").asString(""));
            usage(cm.putObject("usage"), c);
        }
        return m;
    }

    private static ObjectNode nodeMetrics(JsonNode n) {
        ObjectNode m = Json.object();
        m.put("kind", "NodeMetrics");
        m.put("apiVersion", "metrics.k8s.io/v1beta1");
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", n.path("nodeName").asString(""));
        meta.put("creationTimestamp", Timestamps.format(Instant.now()));
        m.put("timestamp", time(n.path("cpu")));
        m.put("window", "10s");
        usage(m.putObject("usage"), n);
        return m;
    }

    private static void usage(ObjectNode usage, JsonNode stats) {
        usage.put("cpu", stats.path("cpu").path("usageNanoCores").asLong(0) + "n");
        usage.put("memory", (stats.path("memory").path("workingSetBytes").asLong(0) / 1024) + "Ki");
    }

    private static String time(JsonNode cpu) {
        String t = cpu.path("time").asString("");
        return t.isEmpty() ? Timestamps.format(Instant.now()) : t;
    }
}

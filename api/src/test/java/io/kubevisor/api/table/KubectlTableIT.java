package io.kubevisor.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * Checks that real kubectl 1.33 prints the Tables built here the way it prints a real
 * cluster's. The HTTP server is a narrow stand-in that answers legacy discovery and serves
 * fixed Tables; it is not an API server, only a way to put {@link Tables} output in front of
 * the real client.
 */
class KubectlTableIT {

    private HttpServer server;

    @TempDir
    Path home;

    /** List path → kind and objects served there as a Table. */
    private static final Map<String, Listing> LISTINGS = Map.of(
            "/api/v1/namespaces/default/pods", new Listing(new GroupVersionKind("", "v1", "Pod"), List.of(
                    """
                    {"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"%s"},
                     "spec":{"nodeName":"node-a","containers":[{"name":"app"}]},
                     "status":{"phase":"Running","podIPs":[{"ip":"10.244.0.7"}],
                       "containerStatuses":[{"name":"app","ready":true,"restartCount":2,"state":{"running":{}},
                         "lastState":{"terminated":{"exitCode":1,"finishedAt":"%s"}}}]}}""",
                    """
                    {"metadata":{"name":"crash","namespace":"default","creationTimestamp":"%s"},
                     "spec":{"containers":[{"name":"c"}]},
                     "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":false,"restartCount":0,
                       "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""")),
            "/apis/apps/v1/namespaces/default/deployments", new Listing(new GroupVersionKind("apps", "v1", "Deployment"),
                    List.of("""
                    {"metadata":{"name":"web","namespace":"default","creationTimestamp":"%s"},
                     "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                       "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}},
                     "status":{"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}""")),
            "/api/v1/namespaces/default/services", new Listing(new GroupVersionKind("", "v1", "Service"), List.of("""
                    {"metadata":{"name":"web","namespace":"default","creationTimestamp":"%s"},
                     "spec":{"type":"NodePort","clusterIPs":["10.96.12.7"],"selector":{"app":"web"},
                       "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}}""")));

    record Listing(GroupVersionKind gvk, List<String> templates) {
        List<JsonNode> objects(Instant now) {
            List<JsonNode> out = new ArrayList<>();
            String created = now.minusSeconds(330).toString();
            String restarted = now.minusSeconds(42).toString();
            for (String t : templates) {
                out.add(Json.parse(t.replaceFirst("%s", created).replaceFirst("%s", restarted)));
            }
            return out;
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", KubectlTableIT::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void podsWide() throws Exception {
        List<String> lines = kubectl("get", "pods", "-o", "wide");
        assertThat(columns(lines.get(0))).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");
        assertThat(columns(lines.get(1))).containsExactly("web-1", "1/1", "Running", "2 (42s ago)", "5m30s",
                "10.244.0.7", "node-a", "<none>", "<none>");
        assertThat(columns(lines.get(2))).containsExactly("crash", "0/1", "CrashLoopBackOff", "0", "5m30s", "<none>",
                "<none>", "<none>", "<none>");
    }

    @Test
    void podsNarrowHidesWideColumns() throws Exception {
        List<String> lines = kubectl("get", "pods");
        assertThat(columns(lines.get(0))).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    }

    @Test
    void deployments() throws Exception {
        List<String> lines = kubectl("get", "deployments", "-o", "wide");
        assertThat(columns(lines.get(0))).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(columns(lines.get(1))).containsExactly("web", "2/3", "3", "2", "5m30s", "nginx", "nginx:1.27",
                "app=web");
    }

    @Test
    void servicesWithShowLabelsUseRowMetadata() throws Exception {
        List<String> lines = kubectl("get", "services");
        assertThat(columns(lines.get(0))).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                "AGE");
        assertThat(columns(lines.get(1))).containsExactly("web", "NodePort", "10.96.12.7", "<none>",
                "80:30080/TCP,53/UDP", "5m30s");
        List<String> all = kubectl("get", "services", "-A");
        assertThat(columns(all.get(1))).startsWith("default", "web");
    }

    /** kubectl separates columns by at least two spaces; single spaces occur inside cells. */
    private static List<String> columns(String line) {
        return List.of(line.trim().split(" {2,}"));
    }

    private List<String> kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectlBinary().toString());
        cmd.add("--server=http://127.0.0.1:" + server.getAddress().getPort());
        cmd.add("--cache-dir=" + home.resolve("cache"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("kubectl finished: " + out).isTrue();
        assertThat(p.exitValue()).as("kubectl exit code; output: " + out).isZero();
        return out.lines().toList();
    }

    private static Path kubectlBinary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                Path versioned = candidate.toRealPath().resolveSibling("kubectl.1.33");
                if (Files.isExecutable(versioned)) {
                    return versioned;
                }
            }
        }
        throw new IllegalStateException("kubectl.1.33 not found beside the kubectl on PATH");
    }

    // ---- the stand-in server -------------------------------------------------------------

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            ex.getRequestBody().readAllBytes();
            Listing listing = LISTINGS.get(path.replace("/api/v1/services", "/api/v1/namespaces/default/services"));
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (listing != null && accept != null && accept.contains("as=Table")) {
                Instant now = Instant.now();
                reply(ex, 200, Json.bytes(Tables.build(listing.objects(now), TablePrinters.forKind(listing.gvk()),
                        now, "100", null, true)));
                return;
            }
            String body = switch (path) {
                case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
                case "/apis" -> "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"apps\","
                        + "\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
                        + "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}";
                case "/api/v1" -> resources("v1", res("pods", "Pod"), res("services", "Service"));
                case "/apis/apps/v1" -> resources("apps/v1", res("deployments", "Deployment"));
                default -> null;
            };
            if (body == null) {
                reply(ex, 404, ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404}").getBytes(StandardCharsets.UTF_8));
            } else {
                reply(ex, 200, body.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void reply(HttpExchange ex, int code, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static String res(String plural, String kind) {
        return "{\"name\":\"" + plural + "\",\"singularName\":\"" + kind.toLowerCase() + "\",\"namespaced\":true,"
                + "\"kind\":\"" + kind + "\",\"verbs\":[\"get\",\"list\",\"watch\"]}";
    }

    private static String resources(String groupVersion, String... resources) {
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", resources) + "]}";
    }
}

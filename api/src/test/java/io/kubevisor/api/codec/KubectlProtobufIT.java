package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes request bodies written by the real kubectl 1.33, which sends typed creates as
 * protobuf. The HTTP server here is a deliberately narrow stand-in, not an API server: it
 * answers legacy discovery just enough for kubectl to find the resources, records each POST
 * body, and echoes the decoded object back with 201 so kubectl reports success. What is under
 * test is only {@link ProtobufCodec#decode} against genuine client bytes.
 *
 * <p>The decoded JSON must be what kube-apiserver would write for the object: the Go object
 * marshalled by Go's {@code encoding/json}. kubectl's {@code --dry-run=client -o json} prints
 * exactly that for the object it would have sent, so each create is also run that way and the
 * two must be equal.
 */
class KubectlProtobufIT {

    private HttpServer server;
    private final List<Recorded> posts = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path home;

    record Recorded(String path, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void createNamespace() throws Exception {
        assertThat(kubectl("create", "namespace", "foo")).contains("namespace/foo created");
        Recorded post = onlyPost("/api/v1/namespaces");
        JsonNode ns = decoded(post, new GroupVersionKind("", "v1", "Namespace"));
        assertThat(ns.path("metadata").path("name").asString()).isEqualTo("foo");
        assertThat(ns.path("metadata").has("namespace")).as("empty omitempty strings are not emitted").isFalse();
        assertThat(ns.at("/metadata/creationTimestamp").isNull()).as("a zero Time is written as null").isTrue();
        assertThat(ns).isEqualTo(dryRun("create", "namespace", "foo"));
    }

    @Test
    void createConfigMap() throws Exception {
        assertThat(kubectl("create", "configmap", "x", "--from-literal=a=b")).contains("configmap/x created");
        JsonNode cm = decoded(onlyPost("/api/v1/namespaces/default/configmaps"),
                new GroupVersionKind("", "v1", "ConfigMap"));
        assertThat(cm.path("metadata").path("name").asString()).isEqualTo("x");
        assertThat(Json.string(cm.path("data"))).isEqualTo("{\"a\":\"b\"}");
        assertThat(cm).isEqualTo(dryRun("create", "configmap", "x", "--from-literal=a=b"));
    }

    @Test
    void createSecret() throws Exception {
        assertThat(kubectl("create", "secret", "generic", "s", "--from-literal=k=v")).contains("secret/s created");
        JsonNode secret = decoded(onlyPost("/api/v1/namespaces/default/secrets"),
                new GroupVersionKind("", "v1", "Secret"));
        assertThat(secret.has("type")).as("kubectl leaves the type to the server's default").isFalse();
        assertThat(secret.path("data").path("k").asString()).as("bytes are base64").isEqualTo("dg==");
        assertThat(secret).isEqualTo(dryRun("create", "secret", "generic", "s", "--from-literal=k=v"));
    }

    @Test
    void createDeployment() throws Exception {
        assertThat(kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2"))
                .contains("deployment.apps/web created");
        JsonNode d = decoded(onlyPost("/apis/apps/v1/namespaces/default/deployments"),
                new GroupVersionKind("apps", "v1", "Deployment"));
        // kubectl writes every non-pointer field (stdin: false, hostIPC: false, minReadySeconds: 0,
        // ...); Go's JSON keeps only the set pointers (replicas), structs ({} for resources,
        // strategy, status; null for the zero creationTimestamp) and non-zero values.
        assertThat(d).isEqualTo(Json.parse("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                   "strategy":{}},
                 "status":{}}"""));
        assertThat(d.path("spec").path("replicas").isInt()).isTrue();
        assertThat(Json.string(d)).as("fields in Go's declaration order").isEqualTo(Json.string(
                dryRun("create", "deployment", "web", "--image=nginx", "--replicas=2")));
    }

    @Test
    void pointerZerosSurviveWhereNonPointerZerosGo() throws Exception {
        assertThat(kubectl("create", "deployment", "zero", "--image=nginx", "--replicas=0", "--port=0"))
                .contains("deployment.apps/zero created");
        JsonNode d = decoded(onlyPost("/apis/apps/v1/namespaces/default/deployments"),
                new GroupVersionKind("apps", "v1", "Deployment"));
        assertThat(d.at("/spec/replicas").isInt()).as("*int32 replicas: 0 is kept").isTrue();
        assertThat(d.at("/spec/replicas").intValue()).isZero();
        assertThat(d.at("/spec").has("minReadySeconds")).as("int32 minReadySeconds: 0 is dropped").isFalse();
        assertThat(d).isEqualTo(dryRun("create", "deployment", "zero", "--image=nginx", "--replicas=0", "--port=0"));
    }

    @Test
    void createService() throws Exception {
        assertThat(kubectl("create", "service", "clusterip", "svc", "--tcp=80:8080"))
                .contains("service/svc created");
        JsonNode svc = decoded(onlyPost("/api/v1/namespaces/default/services"),
                new GroupVersionKind("", "v1", "Service"));
        JsonNode port = svc.path("spec").path("ports").path(0);
        assertThat(port.path("port").intValue()).isEqualTo(80);
        assertThat(port.path("targetPort").isInt()).as("intstr int form").isTrue();
        assertThat(port.path("targetPort").intValue()).isEqualTo(8080);
        assertThat(port.path("protocol").asString()).isEqualTo("TCP");
        assertThat(port.has("nodePort")).as("zero nodePort means unset").isFalse();
        assertThat(svc.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(svc.path("spec").path("selector").path("app").asString()).isEqualTo("svc");
        assertThat(svc.at("/status/loadBalancer").isObject()).as("a non-pointer struct is never omitted").isTrue();
        assertThat(svc).isEqualTo(dryRun("create", "service", "clusterip", "svc", "--tcp=80:8080"));
    }

    @Test
    void createHeadlessNodePortAndExternalNameServices() throws Exception {
        String[][] commands = {
            {"create", "service", "clusterip", "headless", "--clusterip=None"},
            {"create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"},
            {"create", "service", "externalname", "ext", "--external-name=example.com"},
        };
        for (String[] command : commands) {
            kubectl(command);
            JsonNode svc = lastPost(new GroupVersionKind("", "v1", "Service"));
            assertThat(svc).as(String.join(" ", command)).isEqualTo(dryRun(command));
        }
    }

    @Test
    void createJob() throws Exception {
        assertThat(kubectl("create", "job", "j", "--image=busybox")).contains("job.batch/j created");
        JsonNode job = decoded(onlyPost("/apis/batch/v1/namespaces/default/jobs"),
                new GroupVersionKind("batch", "v1", "Job"));
        assertThat(job.path("metadata").path("name").asString()).isEqualTo("j");
        JsonNode pod = job.path("spec").path("template").path("spec");
        assertThat(pod.path("restartPolicy").asString()).isEqualTo("Never");
        assertThat(pod.path("containers").path(0).path("image").asString()).isEqualTo("busybox");
        assertThat(job).isEqualTo(dryRun("create", "job", "j", "--image=busybox"));
    }

    @Test
    void authCanI() throws Exception {
        assertThat(kubectl("auth", "can-i", "create", "pods").trim()).isEqualTo("yes");
        JsonNode review = decoded(onlyPost("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
                new GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectAccessReview"));
        JsonNode attrs = review.path("spec").path("resourceAttributes");
        assertThat(attrs.path("verb").asString()).isEqualTo("create");
        assertThat(attrs.path("resource").asString()).isEqualTo("pods");
        assertThat(attrs.path("namespace").asString()).isEqualTo("default");
    }

    @Test
    void otherTypedCreatesAreProtobufToo() throws Exception {
        assertThat(kubectl("create", "role", "r", "--verb=get,list", "--resource=pods"))
                .contains("role.rbac.authorization.k8s.io/r created");
        JsonNode role = lastPost(new GroupVersionKind("rbac.authorization.k8s.io", "v1", "Role"));
        assertThat(role.path("rules").path(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
        assertThat(role.path("rules").path(0).path("resources").toString()).isEqualTo("[\"pods\"]");
        assertThat(role).isEqualTo(dryRun("create", "role", "r", "--verb=get,list", "--resource=pods"));

        assertThat(kubectl("create", "rolebinding", "rb", "--role=r", "--user=alice", "--serviceaccount=ns1:sa1"))
                .contains("rolebinding.rbac.authorization.k8s.io/rb created");
        JsonNode rb = lastPost(new GroupVersionKind("rbac.authorization.k8s.io", "v1", "RoleBinding"));
        assertThat(rb.path("roleRef").path("kind").asString()).isEqualTo("Role");
        assertThat(rb.path("roleRef").path("name").asString()).isEqualTo("r");
        assertThat(rb.path("subjects").findValuesAsString("name")).containsExactlyInAnyOrder("alice", "sa1");
        assertThat(rb).isEqualTo(dryRun("create", "rolebinding", "rb", "--role=r", "--user=alice",
                "--serviceaccount=ns1:sa1"));

        assertThat(kubectl("create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *"))
                .contains("cronjob.batch/cj created");
        JsonNode cj = lastPost(new GroupVersionKind("batch", "v1", "CronJob"));
        assertThat(cj.path("spec").path("schedule").asString()).isEqualTo("*/5 * * * *");
        assertThat(cj).isEqualTo(dryRun("create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *"));

        assertThat(kubectl("create", "quota", "q", "--hard=pods=3,requests.cpu=500m"))
                .contains("resourcequota/q created");
        JsonNode quota = lastPost(new GroupVersionKind("", "v1", "ResourceQuota"));
        assertThat(quota.path("spec").path("hard").path("pods").asString()).as("quantity as string").isEqualTo("3");
        assertThat(quota.path("spec").path("hard").path("requests.cpu").asString()).isEqualTo("500m");
        assertThat(quota).isEqualTo(dryRun("create", "quota", "q", "--hard=pods=3,requests.cpu=500m"));

        assertThat(kubectl("create", "serviceaccount", "sa")).contains("serviceaccount/sa created");
        JsonNode sa = lastPost(new GroupVersionKind("", "v1", "ServiceAccount"));
        assertThat(sa.path("metadata").path("name").asString()).isEqualTo("sa");
        assertThat(sa).isEqualTo(dryRun("create", "serviceaccount", "sa"));

        assertThat(kubectl("create", "clusterrole", "agg", "--aggregation-rule=team=a"))
                .contains("clusterrole.rbac.authorization.k8s.io/agg created");
        JsonNode agg = lastPost(new GroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRole"));
        assertThat(agg.path("rules").isNull()).as("a nil slice without omitempty is null").isTrue();
        assertThat(agg).isEqualTo(dryRun("create", "clusterrole", "agg", "--aggregation-rule=team=a"));

        assertThat(kubectl("create", "token", "sa", "--duration=10m").trim()).isEqualTo("stub-token");
        JsonNode token = lastPost(new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"));
        assertThat(token.path("spec").path("expirationSeconds").longValue()).isEqualTo(600);
        assertThat(token.path("spec").path("audiences").isNull()).as("nil []string audiences").isTrue();
        assertThat(token.path("spec").path("boundObjectRef").isNull()).as("nil pointer without omitempty").isTrue();

        assertThat(kubectl("auth", "whoami")).contains("alice");
        lastPost(new GroupVersionKind("authentication.k8s.io", "v1", "SelfSubjectReview"));
    }

    private Recorded onlyPost(String path) {
        assertThat(posts).hasSize(1);
        Recorded post = posts.getFirst();
        assertThat(post.path()).isEqualTo(path);
        return post;
    }

    private static JsonNode decoded(Recorded post, GroupVersionKind expected) {
        assertThat(post.contentType()).startsWith(ProtobufCodec.MEDIA_TYPE);
        ProtobufCodec.Decoded d = ProtobufCodec.decode(post.body());
        assertThat(d.gvk()).isEqualTo(expected);
        assertThat(d.object().path("kind").asString()).isEqualTo(expected.kind());
        assertThat(d.object().path("apiVersion").asString()).isEqualTo(expected.apiVersion());
        // What the decoder produced must survive the trip back to the wire unchanged.
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(d.gvk(), d.object())).object()).isEqualTo(d.object());
        return d.object();
    }

    private JsonNode lastPost(GroupVersionKind expected) {
        return decoded(posts.getLast(), expected);
    }

    /** The object kubectl would send for a create command, as Go's encoding/json writes it. */
    private JsonNode dryRun(String... createArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(createArgs));
        args.addAll(List.of("--dry-run=client", "-o", "json"));
        int before = posts.size();
        JsonNode printed = Json.parse(run(false, args.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
        assertThat(posts).as("a client-side dry run sends nothing").hasSize(before);
        return printed;
    }

    private String kubectl(String... args) throws Exception {
        return run(true, args);
    }

    /** Runs kubectl; returns stdout, with stderr mixed in when {@code withStderr}. */
    private String run(boolean withStderr, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectlBinary().toString());
        cmd.add("--server=http://127.0.0.1:" + server.getAddress().getPort());
        cmd.add("--cache-dir=" + home.resolve("cache"));
        cmd.add("--request-timeout=20s");
        cmd.addAll(List.of(args));
        Path stderr = Files.createTempFile(home, "kubectl", ".err");
        ProcessBuilder pb = withStderr ? new ProcessBuilder(cmd).redirectErrorStream(true)
                : new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = withStderr ? "" : Files.readString(stderr);
        assertThat(done).as("kubectl finished: " + out + errors).isTrue();
        assertThat(p.exitValue()).as("kubectl exit code; output: " + out + errors).isZero();
        return out;
    }

    /** kubectl 1.33 ships beside the dispatcher that PATH's kubectl points at. */
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

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("POST")) {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                posts.add(new Recorded(path, type == null ? "" : type, body));
                reply(ex, 201, echo(type, body));
                return;
            }
            String discovery = discovery(path);
            if (discovery == null) {
                reply(ex, 404, Json.bytes(Json.parse("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")));
            } else {
                reply(ex, 200, discovery.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] echo(String type, byte[] body) {
        ObjectNode obj = type != null && type.startsWith(ProtobufCodec.MEDIA_TYPE)
                ? ProtobufCodec.decode(body).object()
                : (ObjectNode) Json.parse(body);
        switch (obj.path("kind").asString()) {
            case "SelfSubjectAccessReview" -> obj.putObject("status").put("allowed", true);
            case "TokenRequest" -> obj.putObject("status").put("token", "stub-token")
                    .put("expirationTimestamp", "2030-01-01T00:00:00Z");
            case "SelfSubjectReview" -> obj.putObject("status").putObject("userInfo").put("username", "alice");
            default -> { }
        }
        return Json.bytes(obj);
    }

    private static void reply(HttpExchange ex, int code, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static String discovery(String path) {
        return switch (path) {
            case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
            case "/apis" -> "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":["
                    + group("apps") + "," + group("batch") + "," + group("authorization.k8s.io") + ","
                    + group("rbac.authorization.k8s.io") + "]}";
            case "/api/v1" -> resources("v1", res("namespaces", "Namespace", false),
                    res("configmaps", "ConfigMap", true), res("secrets", "Secret", true),
                    res("services", "Service", true), res("serviceaccounts", "ServiceAccount", true),
                    res("pods", "Pod", true));
            case "/apis/apps/v1" -> resources("apps/v1", res("deployments", "Deployment", true));
            case "/apis/batch/v1" -> resources("batch/v1", res("jobs", "Job", true));
            case "/apis/authorization.k8s.io/v1" -> resources("authorization.k8s.io/v1",
                    "{\"name\":\"selfsubjectaccessreviews\",\"singularName\":\"selfsubjectaccessreview\","
                            + "\"namespaced\":false,\"kind\":\"SelfSubjectAccessReview\",\"verbs\":[\"create\"]}");
            case "/apis/rbac.authorization.k8s.io/v1" -> resources("rbac.authorization.k8s.io/v1",
                    res("roles", "Role", true), res("rolebindings", "RoleBinding", true),
                    res("clusterroles", "ClusterRole", false));
            default -> null;
        };
    }

    private static String group(String name) {
        String gv = "{\"groupVersion\":\"" + name + "/v1\",\"version\":\"v1\"}";
        return "{\"name\":\"" + name + "\",\"versions\":[" + gv + "],\"preferredVersion\":" + gv + "}";
    }

    private static String res(String plural, String kind, boolean namespaced) {
        return "{\"name\":\"" + plural + "\",\"singularName\":\"" + kind.toLowerCase() + "\",\"namespaced\":"
                + namespaced + ",\"kind\":\"" + kind + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\","
                + "\"patch\",\"update\",\"watch\"]}";
    }

    private static String resources(String groupVersion, String... resources) {
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", resources) + "]}";
    }
}

package io.kubevisor.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.api.resource.BuiltinResources;

/**
 * Checks the OpenAPI documents against the real kubectl binaries of this machine. A stub HTTP
 * server ({@link StubApiServer}) serves discovery and the documents and echoes POSTs; it is a
 * test fixture for the documents only, not evidence about the API server. kubectl 1.27/1.28 read
 * the gnostic protobuf v2 document, 1.29+ the v3 documents.
 */
class KubectlOpenApiIT {

    private static StubApiServer server;
    private static Path kubectlDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        kubectlDir = findKubectl();
        assumeTrue(kubectlDir != null, "kubectl binaries (kubectl.1.27 ... kubectl.1.33) are not installed");
        server = new StubApiServer(BuiltinResources.catalog());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.28", "1.33"})
    void explainShowsContainerFields(String version) throws Exception {
        Result r = kubectl(version, "explain", "pod.spec.containers");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("FIELDS:").contains("image").contains("imagePullPolicy")
                .contains("List of containers belonging to the pod");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void explainFollowsReferencesAcrossGroups(String version) throws Exception {
        Result r = kubectl(version, "explain", "deployment.spec.template.spec.containers.resources");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("limits").contains("requests");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.28", "1.29", "1.33"})
    void createValidatesOnTheServerSide(String version) throws Exception {
        Path pod = tmp.resolve("pod.yaml");
        Files.writeString(pod, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                  - name: c
                    image: busybox
                """);
        int before = server.requests().size();

        Result r = kubectl(version, "create", "-f", pod.toString(), "--dry-run=server", "--validate=strict");

        assertThat(r.exit()).as(r.toString()).isZero();
        List<StubApiServer.Request> seen = server.requests().subList(before, server.requests().size());
        assertThat(seen).anySatisfy(q -> {
            assertThat(q.method()).isEqualTo("POST");
            assertThat(q.path()).isEqualTo("/api/v1/namespaces/default/pods");
            assertThat(q.query()).contains("fieldValidation=Strict").contains("dryRun=All");
        });
        String openapi = Integer.parseInt(version.substring(2)) >= 29 ? "/openapi/v3/api/v1" : "/openapi/v2";
        assertThat(seen).extracting(StubApiServer.Request::path).contains(openapi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void createValidatesDeploymentsAndNamespaces(String version) throws Exception {
        Path file = tmp.resolve("objects.yaml");
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: c
                        image: busybox
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: team
                """);

        Result r = kubectl(version, "create", "-f", file.toString(), "--dry-run=server");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("openapi");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void applyCreatesAfterValidation(String version) throws Exception {
        Path cm = tmp.resolve("cm.yaml");
        Files.writeString(cm, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  a: b
                """);
        int before = server.requests().size();

        Result r = kubectl(version, "apply", "-f", cm.toString(), "--dry-run=server");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.requests().subList(before, server.requests().size())).anySatisfy(q -> {
            assertThat(q.method()).isEqualTo("POST");
            assertThat(q.query()).contains("fieldManager=kubectl-client-side-apply").contains("fieldValidation=Strict");
        });
    }

    private record Result(int exit, String out, String err) {
    }

    private Result kubectl(String version, String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(tmp, "home");
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectlDir.resolve("kubectl." + version).toString());
        cmd.add("--server=" + server.url());
        cmd.add("--cache-dir=" + home.resolve("cache"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("KUBECONFIG", home.resolve("config").toString());
        pb.redirectOutput(home.resolve("out").toFile());
        pb.redirectError(home.resolve("err").toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(home.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(home.resolve("err"), StandardCharsets.UTF_8));
    }

    private static Path findKubectl() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path k = Path.of(dir, "kubectl");
            if (Files.isExecutable(k)) {
                Path real = k.toRealPath().getParent();
                if (Files.isExecutable(real.resolve("kubectl.1.27")) && Files.isExecutable(real.resolve("kubectl.1.33"))) {
                    return real;
                }
            }
        }
        return null;
    }
}

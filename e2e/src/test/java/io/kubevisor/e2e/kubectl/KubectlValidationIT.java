package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * What kubectl takes from the server's OpenAPI documents (kubectl-wire §4, "OpenAPI check"): {@code explain}, and
 * {@code create -f} with the three {@code --validate} modes. kubectl 1.27 and 1.33 both find the
 * {@code fieldValidation} parameter (1.27 in the protobuf OpenAPI v2 document, 1.33 in OpenAPI v3), so both leave
 * unknown fields to the server and print the same errors and warnings.
 */
class KubectlValidationIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Kubectl kubectl(String version) throws Exception {
        return Kubectl.of(version, cluster, tmp.resolve("home-" + version));
    }

    static String namespace(Kubectl k, String base) throws Exception {
        String ns = unique(base, k.version());
        k.run("create", "namespace", ns).assertOk();
        return ns;
    }

    static String get(Kubectl k, String jsonpath, String kind, String name, String ns) throws Exception {
        return k.run("get", kind, name, "-n", ns, "-o", "jsonpath=" + jsonpath).assertOk().stdout();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void explainDescribesFieldsFromTheOpenApiSchema(String version) throws Exception {
        Kubectl k = kubectl(version);
        String containers = k.run("explain", "pod.spec.containers").assertOk().stdout();
        assertThat(lines(containers)).startsWith("KIND:       Pod", "VERSION:    v1");
        assertThat(lines(containers)).contains("FIELD: containers <[]Container>", "DESCRIPTION:", "FIELDS:");
        assertThat(containers).containsPattern("(?m)^  image\t<string>$")
                .containsPattern("(?m)^  name\t<string> -required-$")
                .contains("List of containers belonging to the pod.");
        String replicas = k.run("explain", "deployment.spec.replicas").assertOk().stdout();
        assertThat(lines(replicas)).startsWith("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1");
        assertThat(lines(replicas)).contains("FIELD: replicas <integer>");
    }


    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void strictValidationRejectsUnknownFields(String version) throws Exception {
        // 1.27 and 1.33 behave the same: both find fieldValidation in the OpenAPI document and send Strict
        Kubectl k = kubectl(version);
        String ns = namespace(k, "strict");
        Path cm = Fixtures.file(tmp, ns + "-cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: unknown
                  namespace: %s
                bogus: 1
                data:
                  a: b
                """.formatted(ns));
        Kubectl.Result r = k.run("create", "-f", cm.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("Error from server (BadRequest): error when creating \"" + cm + "\": ConfigMap "
                + "in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"bogus\"\n");
        Path pod = Fixtures.file(tmp, ns + "-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unknown
                  namespace: %s
                spec:
                  containers:
                  - name: c
                    image: busybox
                    bogus: true
                    imagePullPolicyy: Always
                """.formatted(ns));
        Kubectl.Result nested = k.run("create", "-f", pod.toString());
        assertThat(nested.exitCode()).isEqualTo(1);
        assertThat(nested.stderr()).isEqualTo("Error from server (BadRequest): error when creating \"" + pod + "\": Pod in "
                + "version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field "
                + "\"spec.containers[0].bogus\", unknown field \"spec.containers[0].imagePullPolicyy\"\n");
        assertThat(k.run("get", "cm,pods", "-n", ns, "--ignore-not-found", "-o", "name").assertOk().stdout()).isEmpty();
    }


    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void strictValidationStopsTheCreate(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "strict-status");
        Path cm = Fixtures.file(tmp, ns + ".yaml", unknownFieldConfigMap(ns));
        Kubectl.Result r = k.run("create", "-f", cm.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("Error from server (BadRequest): error when creating \"" + cm + "\": ")
                .endsWith("strict decoding error: unknown field \"bogus\"\n");
        assertThat(k.run("get", "cm", "unknown", "-n", ns, "--ignore-not-found").assertOk().stdout()).isEmpty();
    }


    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void warnValidationCreatesAndPrintsAWarning(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "warn");
        Path cm = Fixtures.file(tmp, ns + ".yaml", unknownFieldConfigMap(ns));
        Kubectl.Result r = k.run("create", "-f", cm.toString(), "--validate=warn").assertOk();
        assertThat(r.stdout()).isEqualTo("configmap/unknown created\n");
        assertThat(r.stderr()).isEqualTo("Warning: unknown field \"bogus\"\n");
        assertThat(get(k, "{.data.a}", "cm", "unknown", ns)).isEqualTo("b");
    }


    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void noValidationDropsUnknownFieldsSilently(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "novalidate");
        Path cm = Fixtures.file(tmp, ns + ".yaml", unknownFieldConfigMap(ns));
        Kubectl.Result r = k.run("create", "-f", cm.toString(), "--validate=false").assertOk();
        assertThat(r.stdout()).isEqualTo("configmap/unknown created\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(get(k, "{.data.a}", "cm", "unknown", ns)).isEqualTo("b");
    }


    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void unknownFieldsAreNeverStored(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "dropped");
        Path cm = Fixtures.file(tmp, ns + ".yaml", unknownFieldConfigMap(ns));
        k.run("create", "-f", cm.toString(), "--validate=warn").assertOk();
        JsonNode warned = Fixtures.json(k.run("get", "cm", "unknown", "-n", ns, "-o", "json").assertOk().stdout());
        assertThat(warned.has("bogus")).as("stored ConfigMap: %s", warned).isFalse();
        Path pod = Fixtures.file(tmp, ns + "-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unknown
                  namespace: %s
                spec:
                  containers:
                  - name: c
                    image: busybox
                    bogus: true
                """.formatted(ns));
        k.run("create", "-f", pod.toString(), "--validate=false").assertOk();
        JsonNode ignored = Fixtures.json(k.run("get", "pod", "unknown", "-n", ns, "-o", "json").assertOk().stdout());
        assertThat(ignored.at("/spec/containers/0").has("bogus")).as("stored Pod: %s", ignored).isFalse();
    }


    private static String unknownFieldConfigMap(String ns) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: unknown
                  namespace: %s
                bogus: 1
                data:
                  a: b
                """.formatted(ns);
    }
}

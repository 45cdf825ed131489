package io.kubevisor.e2e.kubectl;

import static io.kubevisor.e2e.kubectl.Fixtures.NEWEST;
import static io.kubevisor.e2e.kubectl.Fixtures.OLDEST;
import static io.kubevisor.e2e.kubectl.Fixtures.unique;
import static io.kubevisor.e2e.kubectl.Tables.AGE;
import static io.kubevisor.e2e.kubectl.Tables.firstLine;
import static io.kubevisor.e2e.kubectl.Tables.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

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
 * Commands that PATCH (kubectl-wire §4): {@code patch} with the three patch types, {@code label} and
 * {@code annotate} (overwrite, removal, server dry run), {@code scale} through the scale subresource, client-side
 * {@code apply} (strategic merge patch with {@code $setElementOrder}) and server-side apply with conflicts.
 */
class KubectlPatchIT {

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
    void patchWithEachPatchType(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "patch");
        k.run("create", "deployment", "web", "--image=nginx:1.27", "-n", ns).assertOk();

        assertThat(k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}")
                .assertOk().stdout()).isEqualTo("deployment.apps/web patched\n");
        assertThat(get(k, "{.spec.replicas}", "deploy", "web", ns)).isEqualTo("2");

        assertThat(k.run("patch", "deployment", "web", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"}]")
                .assertOk().stdout()).isEqualTo("deployment.apps/web patched\n");
        assertThat(get(k, "{.spec.replicas} {.metadata.labels.patched}", "deploy", "web", ns)).isEqualTo("4 json");

        // strategic (the default): containers merge by name, so the list keeps one entry with the new image
        assertThat(k.run("patch", "deployment", "web", "-n", ns, "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.28\"}]}}}}")
                .assertOk().stdout()).isEqualTo("deployment.apps/web patched\n");
        assertThat(get(k, "{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image}",
                "deploy", "web", ns)).isEqualTo("nginx nginx:1.28");
        assertThat(k.run("patch", "deployment", "web", "-n", ns, "--type=strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox\"}]}}}}")
                .assertOk().stdout()).isEqualTo("deployment.apps/web patched\n");
        assertThat(get(k, "{.spec.template.spec.containers[*].name}", "deploy", "web", ns)).isEqualTo("side nginx");
        // a merge patch replaces the whole list
        k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"busybox\"}]}}}}")
                .assertOk();
        assertThat(get(k, "{.spec.template.spec.containers[*].name}", "deploy", "web", ns)).isEqualTo("only");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void patchErrorsReadLikeKubernetes(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "patch-errors");
        k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();

        Kubectl.Result missing = k.run("patch", "deployment", "nope", "-n", ns, "-p", "{}");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("Error from server (NotFound): deployments.apps \"nope\" not found\n");

        Kubectl.Result invalid = k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p",
                "{\"spec\":{\"replicas\":-1}}");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.stderr()).isEqualTo("The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: "
                + "must be greater than or equal to 0\n");

        Kubectl.Result failedTest = k.run("patch", "deployment", "web", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":99}]");
        assertThat(failedTest.exitCode()).isEqualTo(1);
        assertThat(failedTest.stderr())
                .isEqualTo("The request is invalid: : testing value /spec/replicas failed: test failed\n");
        assertThat(get(k, "{.spec.replicas}", "deploy", "web", ns)).isEqualTo("1");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void aPatchThatChangesNothingSaysNoChange(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "noop");
        k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();
        String rv = get(k, "{.metadata.resourceVersion}", "deploy", "web", ns);
        assertThat(k.run("patch", "deployment", "web", "-n", ns, "-p", "{\"spec\":{\"replicas\":1}}").assertOk().stdout())
                .isEqualTo("deployment.apps/web patched (no change)\n");
        assertThat(k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"labels\":"
                + "{\"app\":\"web\"}}}").assertOk().stdout()).isEqualTo("deployment.apps/web patched (no change)\n");
        assertThat(get(k, "{.metadata.resourceVersion}", "deploy", "web", ns)).isEqualTo(rv);
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void labelSetsOverwritesAndRemovesLabels(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "label");
        k.run("run", "p", "--image=busybox", "-n", ns).assertOk();
        k.run("run", "q", "--image=busybox", "-n", ns).assertOk();

        assertThat(k.run("label", "pod", "p", "color=red", "-n", ns).assertOk().stdout()).isEqualTo("pod/p labeled\n");
        Kubectl.Result taken = k.run("label", "pod", "p", "color=blue", "-n", ns);
        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.stderr()).isEqualTo("error: 'color' already has a value (red), and --overwrite is false\n");
        assertThat(k.run("label", "pod", "p", "color=blue", "--overwrite", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p labeled\n");
        assertThat(get(k, "{.metadata.labels.color}", "pod", "p", ns)).isEqualTo("blue");

        assertThat(k.run("label", "pod", "p", "env=prod", "--dry-run=server", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p labeled (server dry run)\n");
        assertThat(k.run("get", "pod", "p", "-n", ns, "--show-labels").assertOk().stdout())
                .containsPattern(row("p", "0/1", "Pending", "0", AGE, "color=blue,run=p"));

        assertThat(k.run("label", "pod", "p", "color-", "-n", ns).assertOk().stdout()).isEqualTo("pod/p unlabeled\n");
        assertThat(get(k, "{.metadata.labels}", "pod", "p", ns)).isEqualTo("{\"run\":\"p\"}");

        assertThat(k.run("label", "pods", "--all", "team=x", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p labeled\npod/q labeled\n");
        assertThat(k.run("label", "pods", "-l", "run=q", "tier=1", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/q labeled\n");
        assertThat(k.run("get", "pods", "-l", "team=x,tier=1", "-n", ns, "-o", "name").assertOk().stdout())
                .isEqualTo("pod/q\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void annotateSetsOverwritesAndRemovesAnnotations(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "annotate");
        k.run("run", "p", "--image=busybox", "-n", ns).assertOk();
        // kubectl 1.27 itself prints "annotate" (its own wording, whatever the server)
        String done = version.equals("1.27") ? "annotate" : "annotated";

        assertThat(k.run("annotate", "pod", "p", "note=hi", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p " + done + "\n");
        Kubectl.Result taken = k.run("annotate", "pod", "p", "note=ho", "-n", ns);
        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.stderr()).isEqualTo("error: --overwrite is false but found the following declared "
                + "annotation(s): 'note' already has a value (hi)\n");
        assertThat(k.run("annotate", "pod", "p", "note=ho", "--overwrite", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p " + done + "\n");
        assertThat(k.run("annotate", "pod", "p", "other=x", "--dry-run=server", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p " + done + " (server dry run)\n");
        assertThat(get(k, "{.metadata.annotations}", "pod", "p", ns)).isEqualTo("{\"note\":\"ho\"}");
        assertThat(k.run("annotate", "pod", "p", "note-", "-n", ns).assertOk().stdout())
                .isEqualTo("pod/p " + done + "\n");
        assertThat(get(k, "{.metadata.annotations.note}", "pod", "p", ns)).isEmpty();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void removingTheLastAnnotationLeavesNoEmptyMap(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "annotate-last");
        k.run("create", "configmap", "c", "-n", ns).assertOk();
        k.run("annotate", "cm", "c", "note=hi", "-n", ns).assertOk();
        k.run("label", "cm", "c", "x=1", "-n", ns).assertOk();
        k.run("annotate", "cm", "c", "note-", "-n", ns).assertOk();
        k.run("label", "cm", "c", "x-", "-n", ns).assertOk();
        JsonNode cm = Fixtures.json(k.run("get", "cm", "c", "-n", ns, "-o", "json").assertOk().stdout());
        assertThat(cm.path("metadata").has("annotations")).as("%s", cm).isFalse();
        assertThat(cm.path("metadata").has("labels")).as("%s", cm).isFalse();
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void scaleGoesThroughTheScaleSubresource(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "scale");
        k.run("create", "deployment", "web", "--image=nginx", "-n", ns).assertOk();
        assertThat(k.run("scale", "deployment", "web", "--replicas=3", "-n", ns).assertOk().stdout())
                .isEqualTo("deployment.apps/web scaled\n");
        assertThat(get(k, "{.spec.replicas}", "deploy", "web", ns)).isEqualTo("3");
        assertThat(k.run("get", "deploy", "web", "-n", ns).assertOk().stdout())
                .containsPattern(row("web", "0/3", "0", "0", AGE));

        Kubectl.Result precondition = k.run("scale", "deployment", "web", "--current-replicas=2", "--replicas=5", "-n", ns);
        assertThat(precondition.exitCode()).isEqualTo(1);
        assertThat(precondition.stderr()).isEqualTo("error: Expected replicas to be 2, was 3\n");
        assertThat(k.run("scale", "deployment", "web", "--current-replicas=3", "--replicas=5", "-n", ns).assertOk()
                .stdout()).isEqualTo("deployment.apps/web scaled\n");

        JsonNode scale = Fixtures.json(k.run("get", "--raw", "/apis/apps/v1/namespaces/" + ns
                + "/deployments/web/scale").assertOk().stdout());
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertThat(scale.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(scale.at("/metadata/name").asString()).isEqualTo("web");
        assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(scale.at("/status/selector").asString()).isEqualTo("app=web");

        k.run("create", "-f", Fixtures.file(tmp, ns + "-sts.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: db
                  namespace: %s
                spec:
                  serviceName: db
                  selector:
                    matchLabels: {app: db}
                  template:
                    metadata:
                      labels: {app: db}
                    spec:
                      containers:
                      - name: db
                        image: postgres:17
                """.formatted(ns)).toString()).assertOk();
        assertThat(k.run("scale", "statefulset", "db", "--replicas=2", "-n", ns).assertOk().stdout())
                .isEqualTo("statefulset.apps/db scaled\n");
        assertThat(get(k, "{.spec.replicas}", "sts", "db", ns)).isEqualTo("2");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void clientSideApplyCreatesPatchesAndKeepsOrder(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "csa");
        Path file = tmp.resolve(ns + ".yaml");
        Fixtures.file(tmp, file.getFileName().toString(), deployment(ns, "team: a", "nginx:1.27", "side"));
        assertThat(k.run("apply", "-f", file.toString()).assertOk().stdout()).isEqualTo("deployment.apps/app created\n");
        JsonNode created = Fixtures.json(k.run("get", "deploy", "app", "-n", ns, "-o", "json", "--show-managed-fields")
                .assertOk().stdout());
        JsonNode lastApplied = Fixtures.json(created.at("/metadata/annotations")
                .path("kubectl.kubernetes.io/last-applied-configuration").asString());
        assertThat(lastApplied.at("/metadata/labels/team").asString()).isEqualTo("a");
        assertThat(lastApplied.at("/spec/template/spec/containers").size()).isEqualTo(2);
        assertThat(managers(created)).contains("kubectl-client-side-apply/Update");

        // a field the manifest does not mention (replicas) belongs to someone else and survives the apply
        k.run("scale", "deployment", "app", "--replicas=3", "-n", ns).assertOk();

        // changed image, label "team" and container "side" removed: a strategic merge patch with $setElementOrder
        Fixtures.file(tmp, file.getFileName().toString(), deployment(ns, "", "nginx:1.28", null));
        assertThat(k.run("apply", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("deployment.apps/app configured\n");
        assertThat(get(k, "{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image} "
                + "{.spec.replicas} {.metadata.labels}", "deploy", "app", ns)).isEqualTo("main nginx:1.28 3 {\"tier\":\"web\"}");
        assertThat(k.run("apply", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("deployment.apps/app unchanged\n");

        // a new container first in the manifest comes first on the server too
        Fixtures.file(tmp, file.getFileName().toString(), deployment(ns, "", "nginx:1.28", null)
                .replace("      containers:\n", "      containers:\n      - name: first\n        image: busybox:1.36\n"));
        assertThat(k.run("apply", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("deployment.apps/app configured\n");
        assertThat(get(k, "{.spec.template.spec.containers[*].name}", "deploy", "app", ns)).isEqualTo("first main");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void serverSideApplyTracksOwnersAndReportsConflicts(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "ssa");
        Path file = tmp.resolve(ns + ".yaml");
        Fixtures.file(tmp, file.getFileName().toString(), deployment(ns, "team: a", "nginx:1.27", "side")
                .replace("spec:\n  selector", "spec:\n  replicas: 1\n  selector"));
        assertThat(k.run("apply", "--server-side", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("deployment.apps/app serverside-applied\n");
        JsonNode created = Fixtures.json(k.run("get", "deploy", "app", "-n", ns, "-o", "json", "--show-managed-fields")
                .assertOk().stdout());
        assertThat(managers(created)).containsExactly("kubectl/Apply");
        assertThat(created.at("/metadata/annotations")
                .has("kubectl.kubernetes.io/last-applied-configuration")).isFalse();

        // dropping "side" and label "team" from the applied configuration removes what only this manager owned
        Fixtures.file(tmp, file.getFileName().toString(), deployment(ns, "", "nginx:1.28", null)
                .replace("spec:\n  selector", "spec:\n  replicas: 1\n  selector"));
        assertThat(k.run("apply", "--server-side", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("deployment.apps/app serverside-applied\n");
        assertThat(get(k, "{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image} "
                + "{.metadata.labels}", "deploy", "app", ns)).isEqualTo("main nginx:1.28 {\"tier\":\"web\"}");

        Path other = Fixtures.file(tmp, ns + "-other.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                  namespace: %s
                spec:
                  replicas: 2
                """.formatted(ns));
        Kubectl.Result conflict = k.run("apply", "--server-side", "--field-manager=other", "-f", other.toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(firstLine(conflict.stderr()))
                .isEqualTo("error: Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        assertThat(conflict.stderr()).contains("--force-conflicts");
        assertThat(get(k, "{.spec.replicas}", "deploy", "app", ns)).isEqualTo("1");

        assertThat(k.run("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other.toString())
                .assertOk().stdout()).isEqualTo("deployment.apps/app serverside-applied\n");
        JsonNode forced = Fixtures.json(k.run("get", "deploy", "app", "-n", ns, "-o", "json", "--show-managed-fields")
                .assertOk().stdout());
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(managers(forced)).containsExactlyInAnyOrder("kubectl/Apply", "other/Apply");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {OLDEST, NEWEST})
    void serverSideApplyCreatesAndPrunesConfigMapKeys(String version) throws Exception {
        Kubectl k = kubectl(version);
        String ns = namespace(k, "ssa-cm");
        String cm = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: conf
                  namespace: %s
                data:
                  a: "1"
                """.formatted(ns);
        Path file = Fixtures.file(tmp, ns + ".yaml", cm + "  b: \"2\"\n");
        assertThat(k.run("apply", "--server-side", "-f", file.toString()).assertOk().stdout())
                .isEqualTo("configmap/conf serverside-applied\n");
        assertThat(get(k, "{.data}", "cm", "conf", ns)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        Fixtures.file(tmp, ns + ".yaml", cm);
        k.run("apply", "--server-side", "-f", file.toString()).assertOk();
        assertThat(get(k, "{.data}", "cm", "conf", ns)).isEqualTo("{\"a\":\"1\"}");
    }

    /** A Deployment manifest; {@code extraLabel} is another metadata label line, {@code side} an optional container. */
    private static String deployment(String ns, String extraLabel, String image, String side) {
        String labels = extraLabel.isEmpty() ? "    tier: web\n" : "    tier: web\n    " + extraLabel + "\n";
        String sideContainer = side == null ? "" : "      - name: " + side + "\n        image: busybox:1.36\n";
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                  namespace: %s
                  labels:
                %sspec:
                  selector:
                    matchLabels: {app: app}
                  template:
                    metadata:
                      labels: {app: app}
                    spec:
                      containers:
                      - name: main
                        image: %s
                %s""".formatted(ns, labels, image, sideContainer);
    }

    /** {@code manager/operation} of each managedFields entry. */
    private static List<String> managers(JsonNode object) {
        return StreamSupport.stream(object.at("/metadata/managedFields").spliterator(), false)
                .map(e -> e.path("manager").asString() + "/" + e.path("operation").asString()).toList();
    }
}

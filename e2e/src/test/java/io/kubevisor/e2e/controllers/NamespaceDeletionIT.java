package io.kubevisor.e2e.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.api.Json;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deleting a namespace with kubectl: it shows Terminating, the namespace controller empties it
 * and finalizes it, and it is gone with everything in it; content held by a finalizer keeps it
 * Terminating, with the conditions Kubernetes sets, until the finalizer is removed.
 */
class NamespaceDeletionIT {

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

    private static final String CONTENT = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {color: blue}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: password}
            stringData: {password: hunter2}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: shell}
            spec:
              containers: [{name: shell, image: busybox, command: [sleep, "3600"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            """;

    private static final String KINDS = "configmaps,secrets,deployments,services,pods,roles";

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void deletingANamespaceDeletesItsContentAndThenTheNamespace(String version) throws Exception {
        Kubectl k = Kubectl.of(version, cluster, tmp.resolve("home-" + version));
        String ns = "doomed-" + version.replace(".", "");
        k.run("create", "namespace", ns).assertOk();
        k.runWithInput(CONTENT, "create", "-n", ns, "-f", "-").assertOk();
        String before = k.run("get", KINDS, "-n", ns, "-o", "name").assertOk().stdout();
        assertThat(before.lines().sorted()).containsExactly("configmap/settings", "deployment.apps/web",
                "pod/shell", "role.rbac.authorization.k8s.io/reader", "secret/password", "service/web");

        assertThat(k.run("delete", "namespace", ns, "--wait=false").assertOk().stdout())
                .isEqualTo("namespace \"" + ns + "\" deleted\n");
        assertThat(k.run("get", "namespace", ns).assertOk().stdout())
                .containsPattern("(?m)^" + ns + " +Terminating +\\d+s$");

        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(k.run("get", "namespace", ns).stderr())
                        .contains("namespaces \"" + ns + "\" not found"));
        // Nothing of it is left anywhere (the listing does show other namespaces' objects).
        String everywhere = k.run("get", KINDS, "--all-namespaces", "--no-headers",
                "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name").assertOk().stdout();
        assertThat(everywhere).containsPattern("(?m)^default +kubernetes$").doesNotContain(ns);
        // Creating the namespace again gives an empty one: nothing of the old content survived.
        k.run("create", "namespace", ns).assertOk();
        assertThat(k.run("get", KINDS, "-n", ns, "-o", "name").assertOk().stdout()).isEmpty();
        k.run("delete", "namespace", ns, "--wait=false").assertOk();
    }

    @Test
    void contentHeldByAFinalizerKeepsTheNamespaceTerminatingUntilTheFinalizerIsRemoved() throws Exception {
        Kubectl k = Kubectl.of("1.33", cluster, tmp.resolve("home-held"));
        String ns = "held";
        k.run("create", "namespace", ns).assertOk();
        k.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: precious
                  finalizers: [example.com/hold]
                data: {keep: "yes"}
                """, "create", "-n", ns, "-f", "-").assertOk();
        k.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata: {name: disposable}
                stringData: {a: b}
                """, "create", "-n", ns, "-f", "-").assertOk();

        k.run("delete", "namespace", ns, "--wait=false").assertOk();

        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode n = Json.parse(k.run("get", "namespace", ns, "-o", "json").assertOk().stdout());
            assertThat(n.path("status").path("phase").asString("")).isEqualTo("Terminating");
            assertThat(condition(n, "NamespaceFinalizersRemaining")).isEqualTo("True|SomeFinalizersRemain|"
                    + "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
            assertThat(condition(n, "NamespaceContentRemaining")).isEqualTo("True|SomeResourcesRemain|"
                    + "Some resources are remaining: configmaps. has 1 resource instances");
            assertThat(condition(n, "NamespaceDeletionContentFailure")).isEqualTo("False|ContentDeleted|"
                    + "All content successfully deleted, may be waiting on finalization");
            assertThat(condition(n, "NamespaceDeletionDiscoveryFailure")).startsWith("False|ResourcesDiscovered|");
        });
        // Everything else is gone; the held object is marked for deletion but stays.
        assertThat(k.run("get", "secrets", "-n", ns, "-o", "name").assertOk().stdout()).isEmpty();
        JsonNode held = Json.parse(k.run("get", "configmap", "precious", "-n", ns, "-o", "json").assertOk().stdout());
        assertThat(held.path("metadata").hasNonNull("deletionTimestamp")).isTrue();
        // Still there a sweep later.
        Thread.sleep(2000);
        assertThat(k.run("get", "namespace", ns).assertOk().stdout()).containsPattern("(?m)^held +Terminating ");

        // The owner of the finalizer lets go (PATCH may not be served, so read-modify-replace).
        ObjectNode released = (ObjectNode) held;
        ((ObjectNode) released.get("metadata")).remove("finalizers");
        k.runWithInput(Json.string(released), "replace", "-f", "-").assertOk();

        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(k.run("get", "namespace", ns).stderr()).contains("namespaces \"held\" not found"));
        assertThat(k.run("get", "configmaps", "--all-namespaces", "--no-headers",
                "-o", "custom-columns=NS:.metadata.namespace").assertOk().stdout()).doesNotContain(ns);
    }

    @Test
    void theControllersIdentityMayEmptyAndFinalizeNamespacesButIsNoSuperuser() throws Exception {
        Kubectl k = Kubectl.of("1.33", cluster, tmp.resolve("home-rbac"));
        assertThat(allowed(k, "update", "", "namespaces", "finalize", "")).isTrue();
        assertThat(allowed(k, "deletecollection", "apps", "deployments", "", "any")).isTrue();
        assertThat(allowed(k, "list", "rbac.authorization.k8s.io", "roles", "", "any")).isTrue();
        assertThat(allowed(k, "create", "", "pods", "", "any")).isFalse();
        assertThat(allowed(k, "get", "", "secrets", "", "any")).isFalse();
        assertThat(allowed(k, "create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "")).isFalse();
    }

    /** Asks the API server whether the controllers' user may do this, with a SubjectAccessReview. */
    private static boolean allowed(Kubectl k, String verb, String group, String resource, String subresource,
                                   String namespace) throws Exception {
        String review = """
                apiVersion: authorization.k8s.io/v1
                kind: SubjectAccessReview
                spec:
                  user: system:kube-controller-manager
                  resourceAttributes: {verb: %s, group: "%s", resource: %s, subresource: "%s", namespace: "%s"}
                """.formatted(verb, group, resource, subresource, namespace);
        // --validate=false: the server's OpenAPI does not describe SubjectAccessReview yet.
        JsonNode r = Json.parse(k.runWithInput(review, "create", "--validate=false", "-f", "-", "-o", "json")
                .assertOk().stdout());
        return r.path("status").path("allowed").asBoolean(false);
    }

    /** {@code status|reason|message} of the namespace's condition of that type, or "" if absent. */
    private static String condition(JsonNode ns, String type) {
        for (JsonNode c : ns.path("status").path("conditions")) {
            if (c.path("type").asString("").equals(type)) {
                return c.path("status").asString("") + "|" + c.path("reason").asString("") + "|"
                        + c.path("message").asString("");
            }
        }
        return "";
    }
}

package io.kubevisor.e2e.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.api.Json;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.Kubectl;
import tools.jackson.databind.JsonNode;

/**
 * The node lifecycle controller in {@code kubevisor up} (with a 6 s grace period, checked every
 * second): a node whose agent stops renewing its Lease turns NotReady in {@code kubectl get nodes}
 * with Kubernetes' Unknown conditions and the unreachable taints, and is Ready again without them
 * when the agent returns; pods on it that tolerate the unreachable taint only briefly are evicted,
 * those with the default 300 s toleration stay, and new pods are kept off it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NodeLifecycleIT {

    private static final Duration RENEW = Duration.ofSeconds(1);

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient admin;
    static Kubectl k;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"), "--node-monitor-grace-period=6s", "--node-monitor-period=1s");
        admin = Fabric8.client(Fabric8.httpWatchConfig(cluster));
        k = Kubectl.of("1.33", cluster, tmp.resolve("home"));
    }

    @AfterAll
    static void down() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static FakeNodeAgent node(String name) {
        return FakeNodeAgent.register(admin, name, Map.of("cpu", "4", "memory", "8Gi", "pods", "110"), Map.of(),
                List.of(), RENEW);
    }

    private static JsonNode nodeJson(String name) throws Exception {
        return Json.parse(k.run("get", "node", name, "-o", "json").assertOk().stdout());
    }

    /** {@code key:effect} of each taint, with {@code @time} where one is set. */
    private static List<String> taints(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : node.path("spec").path("taints")) {
            out.add(t.path("key").asString("") + ":" + t.path("effect").asString("")
                    + (t.hasNonNull("timeAdded") ? "@set" : ""));
        }
        return out;
    }

    private static String condition(JsonNode node, String type) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asString("").equals(type)) {
                return c.path("status").asString("") + "|" + c.path("reason").asString("") + "|"
                        + c.path("message").asString("");
            }
        }
        return "";
    }

    @Test
    void aNodeWhoseLeaseStopsBeingRenewedTurnsNotReadyWithTheUnreachableTaintsAndRecovers() throws Exception {
        try (FakeNodeAgent flaky = node("flaky")) {
            assertThat(k.run("get", "node", "flaky", "--no-headers").assertOk().stdout())
                    .containsPattern("^flaky +Ready +<none> +\\S+ +v1.33.0");
            // Renewing, it stays Ready well past the grace period.
            Thread.sleep(8000);
            assertThat(k.run("get", "node", "flaky", "--no-headers").assertOk().stdout()).containsPattern("^flaky +Ready ");
            assertThat(taints(nodeJson("flaky"))).isEmpty();

            flaky.goSilent();
            await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(k.run("get", "nodes", "--no-headers").assertOk().stdout())
                            .containsPattern("(?m)^flaky +NotReady +<none> "));
            await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(taints(nodeJson("flaky")))
                    .containsExactly("node.kubernetes.io/unreachable:NoSchedule",
                            "node.kubernetes.io/unreachable:NoExecute@set"));
            JsonNode n = nodeJson("flaky");
            assertThat(condition(n, "Ready")).isEqualTo("Unknown|NodeStatusUnknown|Kubelet stopped posting node status.");
            assertThat(condition(n, "MemoryPressure")).isEqualTo(
                    "Unknown|NodeStatusUnknown|Kubelet stopped posting node status.");
            String described = k.run("describe", "node", "flaky").assertOk().stdout();
            assertThat(described).contains("node.kubernetes.io/unreachable:NoExecute");
            assertThat(described).containsPattern("Normal +NodeNotReady +\\S+ +node-controller +Node flaky status is "
                    + "now: NodeNotReady");

            flaky.comeBack();
            await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(k.run("get", "node", "flaky", "--no-headers").assertOk().stdout())
                        .containsPattern("^flaky +Ready ");
                assertThat(taints(nodeJson("flaky"))).isEmpty();
            });
            // And it stays so while the agent renews.
            Thread.sleep(8000);
            assertThat(condition(nodeJson("flaky"), "Ready")).startsWith("True|");
        }
    }

    @Test
    void podsThatDoNotTolerateAnUnreachableNodeForLongAreEvictedAndNewPodsKeepAway() throws Exception {
        try (FakeNodeAgent doomed = node("doomed")) {
            String onDoomed = "\"nodeSelector\": {\"kubernetes.io/hostname\": \"doomed\"}, "
                    + "\"terminationGracePeriodSeconds\": 0";
            run("brief", onDoomed + ", \"tolerations\": [{\"key\": \"node.kubernetes.io/unreachable\", "
                    + "\"operator\": \"Exists\", \"effect\": \"NoExecute\", \"tolerationSeconds\": 3}]");
            run("patient", onDoomed);
            for (String p : List.of("brief", "patient")) {
                await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(300)).until(() ->
                        k.run("get", "pod", p, "-o", "jsonpath={.spec.nodeName}").assertOk().stdout().equals("doomed"));
            }
            assertThat(k.run("get", "pod", "patient", "-o", "jsonpath={.spec.tolerations[*].tolerationSeconds}")
                    .assertOk().stdout()).as("the default tolerations").isEqualTo("300 300");

            doomed.goSilent();
            await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(k.run("get", "pod", "brief").stderr()).contains("pods \"brief\" not found"));
            assertThat(k.run("get", "events", "--field-selector", "involvedObject.name=brief", "-o",
                    "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}").assertOk().stdout())
                    .contains("TaintManagerEviction: Marking for deletion Pod default/brief");
            JsonNode patient = Json.parse(k.run("get", "pod", "patient", "-o", "json").assertOk().stdout());
            assertThat(patient.path("metadata").hasNonNull("deletionTimestamp")).as("300 s are not up").isFalse();

            run("newcomer", "\"nodeSelector\": {\"kubernetes.io/hostname\": \"doomed\"}");
            await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(
                    k.run("get", "pod", "newcomer", "-o", "jsonpath={.status.conditions[0].message}").assertOk().stdout())
                    .containsPattern("^0/\\d+ nodes are available: .*1 node\\(s\\) had untolerated taint "
                            + "\\{node.kubernetes.io/unreachable: \\}"));
        } finally {
            for (String p : List.of("brief", "patient", "newcomer")) {
                k.run("delete", "pod", p, "--grace-period=0", "--force", "--ignore-not-found");
            }
        }
    }

    @Test
    void theControllerManagersIdentityMayWatchLeasesAndTaintNodesButNotWriteLeases() throws Exception {
        assertThat(allowed("watch", "coordination.k8s.io", "leases", "", "kube-node-lease")).isTrue();
        assertThat(allowed("update", "", "nodes", "", "")).isTrue();
        assertThat(allowed("update", "", "nodes", "status", "")).isTrue();
        assertThat(allowed("delete", "", "pods", "", "default")).isTrue();
        assertThat(allowed("update", "coordination.k8s.io", "leases", "", "kube-node-lease")).isFalse();
        assertThat(allowed("get", "", "secrets", "", "default")).isFalse();
        assertThat(allowed("create", "", "pods", "binding", "default")).isFalse();
    }

    private static void run(String name, String extraSpec) throws Exception {
        String overrides = """
                {"apiVersion": "v1", "spec": {%s, "containers": [{"name": "%s", "image": "busybox",
                 "command": ["sleep", "3600"]}]}}""".formatted(extraSpec, name);
        k.run("run", name, "--image=busybox", "--restart=Never", "--overrides=" + overrides).assertOk();
    }

    private static boolean allowed(String verb, String group, String resource, String subresource, String namespace)
            throws Exception {
        String review = """
                apiVersion: authorization.k8s.io/v1
                kind: SubjectAccessReview
                spec:
                  user: system:kube-controller-manager
                  resourceAttributes: {verb: %s, group: "%s", resource: %s, subresource: "%s", namespace: "%s"}
                """.formatted(verb, group, resource, subresource, namespace);
        JsonNode r = Json.parse(k.runWithInput(review, "create", "--validate=false", "-f", "-", "-o", "json")
                .assertOk().stdout());
        return r.path("status").path("allowed").asBoolean(false);
    }
}

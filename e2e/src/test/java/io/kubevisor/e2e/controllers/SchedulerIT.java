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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.api.Json;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.Kubectl;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler in {@code kubevisor up}, driven with real kubectl: pods created with
 * {@code kubectl run} land on the node their requests, node selector, affinity and tolerations
 * allow; a pod that fits nowhere stays Pending with {@code PodScheduled=False Unschedulable} and a
 * FailedScheduling event in kubectl's words, and is placed once a node that fits appears; pods
 * created together do not overcommit a node, and a deleted pod's room is used. Nodes are played
 * by {@link FakeNodeAgent}s: three of them (small, large, gpu) for the whole class, so that the
 * messages' node counts are known; tests that add a node remove it again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient admin;
    static Kubectl k;
    static final List<FakeNodeAgent> nodes = new ArrayList<>();
    final List<String> pods = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        admin = Fabric8.client(Fabric8.httpWatchConfig(cluster));
        k = Kubectl.of("1.33", cluster, tmp.resolve("home"));
        Duration renew = Duration.ofSeconds(5);
        nodes.add(FakeNodeAgent.register(admin, "small", Map.of("cpu", "1", "memory", "2Gi", "pods", "110"),
                Map.of("zone", "a"), List.of(), renew));
        nodes.add(FakeNodeAgent.register(admin, "large", Map.of("cpu", "4", "memory", "8Gi", "pods", "110"),
                Map.of("zone", "b", "disk", "ssd", "cores", "16"), List.of(), renew));
        nodes.add(FakeNodeAgent.register(admin, "gpu", Map.of("cpu", "4", "memory", "8Gi", "pods", "110"),
                Map.of("zone", "b", "cores", "8"), List.of(new TaintBuilder().withKey("dedicated").withValue("gpu")
                        .withEffect("NoSchedule").build()), renew));
    }

    @AfterAll
    static void down() throws Exception {
        for (FakeNodeAgent n : nodes) {
            n.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void deletePods() throws Exception {
        // No agent runs these pods, so a graceful delete would wait for it for ever.
        for (String p : pods) {
            k.run("delete", "pod", p, "--grace-period=0", "--force", "--ignore-not-found");
        }
    }

    /** {@code kubectl run} with one busybox container requesting {@code requests}, and extra pod spec fields. */
    private void run(String name, String requests, String extraSpec) throws Exception {
        String overrides = """
                {"apiVersion": "v1", "spec": {%s"containers": [{"name": "%s", "image": "busybox",
                 "command": ["sleep", "3600"], "resources": {"requests": {%s}}}]}}"""
                .formatted(extraSpec.isEmpty() ? "" : extraSpec + ", ", name, requests);
        k.run("run", name, "--image=busybox", "--restart=Never", "--overrides=" + overrides).assertOk();
        pods.add(name);
    }

    private String nodeOf(String pod) throws Exception {
        return k.run("get", "pod", pod, "-o", "jsonpath={.spec.nodeName}").assertOk().stdout();
    }

    private String awaitBound(String pod) {
        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(300))
                .until(() -> !nodeOf(pod).isEmpty());
        try {
            return nodeOf(pod);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code status|reason|message} of the pod's PodScheduled condition, "" while it has none. */
    private String scheduledCondition(String pod) throws Exception {
        JsonNode p = Json.parse(k.run("get", "pod", pod, "-o", "json").assertOk().stdout());
        for (JsonNode c : p.path("status").path("conditions")) {
            if (c.path("type").asString("").equals("PodScheduled")) {
                return c.path("status").asString("") + "|" + c.path("reason").asString("") + "|"
                        + c.path("message").asString("");
            }
        }
        return "";
    }

    @Test
    @Order(1)
    void aPodGoesToTheNodeWithRoomForItsRequestsAndTheEventSaysSo() throws Exception {
        run("big", "\"cpu\": \"2\", \"memory\": \"1Gi\"", "");
        assertThat(awaitBound("big")).as("small has 1 CPU, gpu is tainted").isEqualTo("large");
        assertThat(scheduledCondition("big")).isEqualTo("True||");
        await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(k.run("describe", "pod", "big")
                .assertOk().stdout()).containsPattern(
                "Normal +Scheduled +\\S+ +default-scheduler +Successfully assigned default/big to large"));
        assertThat(k.run("get", "pod", "big", "-o", "wide", "--no-headers").assertOk().stdout())
                .containsPattern("^big +0/1 +Pending +0 +\\S+ +<none> +large ");
    }

    @Test
    @Order(2)
    void nodeSelectorAndRequiredNodeAffinityChooseTheNode() throws Exception {
        run("in-zone-a", "", "\"nodeSelector\": {\"zone\": \"a\"}");
        run("many-cores", "", """
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms":
                 [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["10"]}]}]}}}""");
        run("by-name", "", """
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms":
                 [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["small"]}]}]}}}""");
        run("not-a-no-ssd", "", """
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms":
                 [{"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]},
                                        {"key": "disk", "operator": "DoesNotExist"}]},
                  {"matchExpressions": [{"key": "no-such-label", "operator": "Exists"}]}]}}},
                "tolerations": [{"key": "dedicated", "operator": "Exists"}]""");
        assertThat(awaitBound("in-zone-a")).isEqualTo("small");
        assertThat(awaitBound("many-cores")).isEqualTo("large");
        assertThat(awaitBound("by-name")).isEqualTo("small");
        assertThat(awaitBound("not-a-no-ssd")).isEqualTo("gpu");
    }

    @Test
    @Order(3)
    void aTaintKeepsPodsOffUnlessTheyTolerateIt() throws Exception {
        String onlyGpu = """
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms":
                 [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["gpu"]}]}]}}}""";
        run("intolerant", "", onlyGpu);
        run("tolerant", "", onlyGpu + """
                , "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]""");
        assertThat(awaitBound("tolerant")).isEqualTo("gpu");
        String expected = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) "
                + "didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is "
                + "not helpful for scheduling.";
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(scheduledCondition("intolerant")).isEqualTo("False|Unschedulable|" + expected));
        assertThat(nodeOf("intolerant")).isEmpty();

        // A node change that does not help: tried again, same answer, the event counted twice.
        k.run("label", "node", "small", "touched=yes").assertOk();
        try {
            await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(k.run("describe", "pod", "intolerant")
                    .assertOk().stdout()).containsPattern("Warning +FailedScheduling +\\S+ \\(x2 over \\S+\\) +"
                    + "default-scheduler +0/3 nodes are available"));
            assertThat(nodeOf("intolerant")).isEmpty();
        } finally {
            k.run("label", "node", "small", "touched-").assertOk();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    @Order(4)
    void aPodThatFitsNowhereWaitsWithKubernetesReasonAndIsPlacedWhenANodeFits(String version) throws Exception {
        Kubectl kv = Kubectl.of(version, cluster, tmp.resolve("home-" + version));
        String pod = "huge-" + version.replace(".", "");
        run(pod, "\"cpu\": \"6\"", "");
        String expected = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
                + "scheduling, 2 No preemption victims found for incoming pod.";
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(scheduledCondition(pod)).isEqualTo("False|Unschedulable|" + expected));
        assertThat(kv.run("get", "pod", pod, "--no-headers").assertOk().stdout())
                .containsPattern("^" + pod + " +0/1 +Pending +0 ");
        String described = kv.run("describe", "pod", pod).assertOk().stdout();
        assertThat(described).containsPattern("PodScheduled +False");
        assertThat(described).containsPattern("Warning +FailedScheduling +\\S+ +default-scheduler +"
                + java.util.regex.Pattern.quote(expected));
        assertThat(kv.run("get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
                "jsonpath={.items[0].reason}/{.items[0].type}/{.items[0].reportingComponent}/"
                        + "{.items[0].involvedObject.kind}").assertOk().stdout())
                .isEqualTo("FailedScheduling/Warning/default-scheduler/Pod");

        String bigName = "roomy-" + version.replace(".", "");
        try (FakeNodeAgent roomy = FakeNodeAgent.register(admin, bigName, Map.of("cpu", "8", "memory", "16Gi",
                "pods", "110"), Map.of(), List.of(), Duration.ofSeconds(5))) {
            // Picked up on the node's arrival, not by the 30 s periodic retry.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !nodeOf(pod).isEmpty());
            assertThat(nodeOf(pod)).isEqualTo(bigName);
            assertThat(scheduledCondition(pod)).isEqualTo("True||");
            k.run("delete", "pod", pod, "--grace-period=0", "--force").assertOk();
        }
        // Later messages count three nodes again.
        await().atMost(Cluster.patience()).until(() -> k.run("get", "node", bigName).exitCode() != 0);
    }

    @Test
    @Order(5)
    void podsCreatedTogetherDoNotOvercommitANodeAndADeletedPodsRoomIsUsed() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            yaml.append("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: share-%d}
                    spec:
                      nodeSelector: {zone: a}
                      containers: [{name: c, image: busybox, resources: {requests: {cpu: 400m}}}]
                    ---
                    """.formatted(i));
            pods.add("share-" + i);
        }
        k.runWithInput(yaml.toString(), "create", "-f", "-").assertOk();
        // small has 1 CPU: two fit, the third waits.
        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<String> where = new ArrayList<>();
            for (String p : List.of("share-1", "share-2", "share-3")) {
                where.add(nodeOf(p));
            }
            assertThat(where).containsExactlyInAnyOrder("small", "small", "");
        });
        String waiting = null;
        for (String p : List.of("share-1", "share-2", "share-3")) {
            if (nodeOf(p).isEmpty()) {
                waiting = p;
            }
        }
        String w = waiting;
        await().atMost(Cluster.patience()).untilAsserted(() -> assertThat(scheduledCondition(w)).isEqualTo(
                "False|Unschedulable|0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node "
                        + "affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes "
                        + "are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful "
                        + "for scheduling."));
        // Stays waiting while nothing changes.
        Thread.sleep(2000);
        assertThat(nodeOf(w)).isEmpty();

        String bound = List.of("share-1", "share-2", "share-3").stream().filter(p -> !p.equals(w)).findFirst()
                .orElseThrow();
        k.run("delete", "pod", bound, "--grace-period=0", "--force").assertOk();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> !nodeOf(w).isEmpty());
        assertThat(nodeOf(w)).isEqualTo("small");
    }

    @Test
    @Order(6)
    void theSchedulersIdentityMayBindPodsButNothingMore() throws Exception {
        assertThat(allowed("create", "pods", "binding")).isTrue();
        assertThat(allowed("update", "pods", "status")).isTrue();
        assertThat(allowed("watch", "nodes", "")).isTrue();
        assertThat(allowed("create", "events", "")).isTrue();
        assertThat(allowed("delete", "pods", "")).isFalse();
        assertThat(allowed("update", "nodes", "")).isFalse();
        assertThat(allowed("get", "secrets", "")).isFalse();
    }

    private boolean allowed(String verb, String resource, String subresource) throws Exception {
        String review = """
                apiVersion: authorization.k8s.io/v1
                kind: SubjectAccessReview
                spec:
                  user: system:kube-scheduler
                  resourceAttributes: {verb: %s, group: "", resource: %s, subresource: "%s", namespace: default}
                """.formatted(verb, resource, subresource);
        JsonNode r = Json.parse(k.runWithInput(review, "create", "--validate=false", "-f", "-", "-o", "json")
                .assertOk().stdout());
        return r.path("status").path("allowed").asBoolean(false);
    }
}

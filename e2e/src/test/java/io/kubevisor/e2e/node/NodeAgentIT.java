package io.kubevisor.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.controllers.Rbac;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.Kubectl;
import io.kubevisor.node.NodeAgent;
import io.kubevisor.node.NodeAgentConfig;
import io.kubevisor.node.NodeAgentRbac;
import io.kubevisor.node.provider.PodRef;

/**
 * The node agent framework against a real {@code kubevisor up}, with {@link ContractOnlyFakeProvider}
 * (which runs nothing): proves the API contract — the Node turns Ready in {@code kubectl get nodes},
 * the Lease renews, a pod bound to the node turns Running with the provider's status, {@code kubectl
 * delete pod} completes because the agent deletes the object after the provider, the kubelet
 * endpoint authorizes callers through the API server, and a restarted agent re-adopts pods instead
 * of creating them again. The agent authenticates as {@code system:node:<name>} in {@code system:nodes}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentIT {

    static final String NODE = "contract-fake-node";

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient admin;
    static ClusterCa ca;
    static Kubectl k;
    static final ContractOnlyFakeProvider provider = new ContractOnlyFakeProvider();
    static NodeAgent agent;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        admin = Fabric8.client(cluster);
        // The bootstrap policy has no role for nodes: grant the agent's (see NodeAgentRbac).
        Rbac.ensure(admin, NodeAgentRbac.objects());
        ca = ClusterCa.loadOrCreate(cluster.dataDir().resolve("pki"));
        k = Kubectl.of("1.33", cluster, tmp.resolve("home"));
        agent = startAgent();
    }

    @AfterAll
    static void down() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static NodeAgent startAgent() {
        KeyMaterial nodeCert = ca.issueClient("system:node:" + NODE, List.of("system:nodes"), Duration.ofDays(1));
        var credentials = new ClientCredentials(cluster.url(), ca.certificatePem(), nodeCert.certificatePem(),
                nodeCert.privateKeyPem(), "EC");
        KeyMaterial serving = ca.issueServing(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(1));
        var kubelet = new NodeAgentConfig.KubeletEndpoint("127.0.0.1", 0, serving.privateKey(), serving.chain(),
                List.of(ca.certificate()));
        NodeAgentConfig config = NodeAgentConfig.of(NODE, credentials.toConfig(), provider, kubelet)
                .withLeaseDuration(Duration.ofSeconds(8))
                .withStatusIntervals(Duration.ofSeconds(2), Duration.ofSeconds(30))
                .withResyncPeriod(Duration.ofSeconds(10));
        NodeAgent a = new NodeAgent(config);
        a.start();
        return a;
    }

    static String get(String... args) throws Exception {
        return k.run(args).assertOk().stdout();
    }

    static String runPod(String name) throws Exception {
        return k.run("run", name, "--image=nginx", "--restart=Never",
                "--overrides={\"spec\":{\"nodeName\":\"" + NODE + "\"}}").assertOk().stdout();
    }

    static void awaitRunning(String name) {
        await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get("get", "pod", name, "--no-headers")).containsPattern("^" + name + " +1/1 +Running +0 "));
    }

    @Test
    @Order(1)
    void theNodeIsRegisteredReadyWithTheProvidersCapacity() throws Exception {
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "nodes")).containsPattern("(?m)^" + NODE + " +Ready +<none> +\\S+ +v1\\."));
        String info = get("get", "node", NODE, "-o",
                "jsonpath={.metadata.labels.kubernetes\\.io/hostname} {.metadata.labels.kubernetes\\.io/os} "
                        + "{.status.allocatable.cpu} {.status.capacity.memory} {.status.addresses[0].address} "
                        + "{.status.daemonEndpoints.kubeletEndpoint.Port} {.status.nodeInfo.containerRuntimeVersion}");
        assertThat(info).isEqualTo(NODE + " linux 3500m 8Gi 127.0.0.1 " + agent.kubeletPort() + " contract-fake://0.0.0");
        assertThat(get("get", "node", NODE, "-o", "jsonpath={range .status.conditions[*]}{.type}={.reason} {end}"))
                .isEqualTo("MemoryPressure=KubeletHasSufficientMemory DiskPressure=KubeletHasNoDiskPressure "
                        + "PIDPressure=KubeletHasSufficientPID Ready=KubeletReady ");
    }

    @Test
    @Order(2)
    void theLeaseIsHeldByTheNodeAndRenewed() throws Exception {
        String jsonpath = "jsonpath={.spec.holderIdentity} {.spec.leaseDurationSeconds} "
                + "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.spec.renewTime}";
        String[] first = get("get", "lease", "-n", "kube-node-lease", NODE, "-o", jsonpath).split(" ");
        assertThat(first[0]).isEqualTo(NODE);
        assertThat(first[1]).isEqualTo("8");
        assertThat(first[2]).isEqualTo("Node/" + NODE);
        Instant renewed = Instant.parse(first[3]);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String[] later = get("get", "lease", "-n", "kube-node-lease", NODE, "-o", jsonpath).split(" ");
            assertThat(Instant.parse(later[3])).isAfter(renewed);
        });
    }

    @Test
    @Order(3)
    void aPodBoundToTheNodeTurnsRunningWithTheProvidersStatus() throws Exception {
        assertThat(runPod("web")).isEqualTo("pod/web created\n");
        awaitRunning("web");
        assertThat(get("get", "pod", "web", "-o", "jsonpath={.status.podIP} {.status.hostIP} {.status.startTime}"))
                .matches(ContractOnlyFakeProvider.FAKE_POD_IP + " 127\\.0\\.0\\.1 \\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(provider.count("create default/web")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aProviderFailureIsAnEventAndTheCreateIsRetried() throws Exception {
        runPod("flaky");
        awaitRunning("flaky");
        assertThat(provider.count("create default/flaky")).isEqualTo(2);
        assertThat(get("get", "events", "-o",
                "jsonpath={range .items[?(@.involvedObject.name==\"flaky\")]}{.reason}|{.source.component}|{.message}{end}"))
                .isEqualTo("FailedCreatePodSandBox|kubelet|Failed to create pod sandbox: fake sandbox refused to start");
    }

    @Test
    @Order(5)
    void kubectlDeletePodCompletesOnceTheProviderStoppedIt() throws Exception {
        var r = k.run("delete", "pod", "web", "--timeout=60s");
        assertThat(r.assertOk().stdout()).isEqualTo("pod \"web\" deleted\n");
        assertThat(k.run("get", "pod", "web").stderr()).contains("pods \"web\" not found");
        assertThat(provider.calls).anyMatch(c -> c.equals("delete default/web grace=30s"));
        assertThat(provider.running.keySet()).noneMatch(ref -> ref.name().equals("web"));
    }

    @Test
    @Order(6)
    void theKubeletEndpointAsksTheApiServerWhoMayUseIt() throws Exception {
        var apiserver = ca.issueClient("kube-apiserver-kubelet-client", List.of("system:masters"), Duration.ofHours(1));
        HttpResponse<String> pods = kubeletGet(apiserver, "/pods");
        assertThat(pods.statusCode()).isEqualTo(200);
        assertThat(pods.body()).contains("\"name\":\"flaky\"");
        var nobody = ca.issueClient("nobody", List.of(), Duration.ofHours(1));
        assertThat(kubeletGet(nobody, "/pods").statusCode()).isEqualTo(403);
        assertThat(kubeletGet(null, "/pods").statusCode()).isEqualTo(401);
    }

    @Test
    @Order(7)
    void aRestartedAgentAdoptsWhatStillRunsAndDeletesWhatIsGone() throws Exception {
        runPod("survivor");
        runPod("gone");
        awaitRunning("survivor");
        awaitRunning("gone");
        PodRef survivor = provider.running.keySet().stream().filter(r -> r.name().equals("survivor")).findFirst()
                .orElseThrow();
        PodRef gone = provider.running.keySet().stream().filter(r -> r.name().equals("gone")).findFirst().orElseThrow();

        agent.close();
        // While no agent runs, the pod object is force-deleted: its sandbox is now an orphan.
        k.run("delete", "pod", "gone", "--force", "--grace-period=0").assertOk();
        agent = startAgent();

        assertThat(agent.status().adopted()).contains(survivor);
        assertThat(agent.status().orphansDeleted()).containsExactly(gone);
        assertThat(provider.calls).contains("delete default/gone grace=0s");
        awaitRunning("survivor");
        await().atMost(Cluster.patience()).until(() -> agent.status().podSyncs() > 0);
        assertThat(provider.count("create default/survivor")).as("adopted, not created again").isEqualTo(1);
        assertThat(get("get", "nodes")).containsPattern("(?m)^" + NODE + " +Ready ");
    }

    static HttpResponse<String> kubeletGet(KeyMaterial client, String path) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client != null) {
            keys.setKeyEntry("client", client.privateKey(), new char[0], client.chainArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), ca.trustManagerFactory().getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agent.kubeletPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

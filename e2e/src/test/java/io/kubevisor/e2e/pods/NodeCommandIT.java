package io.kubevisor.e2e.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.pki.Kubeconfig;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;
import io.kubevisor.e2e.support.NodeScrub;
import io.kubevisor.runtime.testing.LocalRegistry;
import io.kubevisor.runtime.testing.Rootfs;
import io.kubevisor.runtime.testing.TestImages;

/**
 * {@code kubevisor node} joining a control plane that runs without a node ({@code up --no-node}),
 * with its own data dir and a {@code system:node:<name>} kubeconfig, and surviving {@code kill -9}:
 * the restarted agent re-adopts the running sandbox (same container, no restart, no second
 * sandbox) and streams from it again.
 */
class NodeCommandIT {

    static final String NODE = "joined-node";

    @TempDir
    static Path tmp;
    static Path nodeDir;
    static LocalRegistry registry;
    static Cluster cluster;
    static Kubectl k;
    static Path nodeKubeconfig;
    static Process node;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "gVisor pods need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/runsc")), "runsc is not installed");
        assumeTrue(Rootfs.available(), "busybox-static is not installed");
        registry = LocalRegistry.start();
        TestImages images = new TestImages(tmp.resolve("images"));
        images.busybox();
        images.push("busybox", registry, "tools/busybox:1", false);
        cluster = Cluster.start(tmp.resolve("kv"));
        k = Kubectl.of("1.33", cluster, tmp.resolve("home"));
        ClusterCa ca = ClusterCa.loadOrCreate(cluster.dataDir().resolve("pki"));
        KeyMaterial identity = ca.issueClient("system:node:" + NODE, List.of("system:nodes"), Duration.ofDays(1));
        nodeKubeconfig = tmp.resolve("node.kubeconfig");
        Kubeconfig.write(nodeKubeconfig, cluster.url(), ca.certificate(), identity, "kubevisor", "system:node:" + NODE);
        nodeDir = tmp.resolve("node-data");
        node = startNode();
    }

    @AfterAll
    static void down() throws Exception {
        List<String> leaks = new ArrayList<>();
        try {
            if (cluster != null && node != null && node.isAlive()) {
                k.run("delete", "pods", "--all", "--grace-period=1", "--timeout=60s");
            }
        } finally {
            if (node != null) {
                node.destroy();
                if (!node.waitFor(15, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            }
            if (cluster != null) {
                cluster.close();
            }
            if (nodeDir != null) {
                leaks = NodeScrub.scrub(nodeDir);
            }
            if (registry != null) {
                registry.close();
            }
        }
        assertThat(leaks).as("left on the host after the pod was deleted").isEmpty();
    }

    @Test
    void aJoinedNodeRunsPodsAndReadoptsThemAfterKillMinus9() throws Exception {
        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "node", NODE, "--no-headers")).containsPattern("^" + NODE + " +Ready "));
        k.run("run", "steady", "--image=" + registry.host() + "/tools/busybox:1", "--command", "--", "sh", "-c",
                "echo up; exec sleep 3600").assertOk();
        awaitRunning();
        String jsonpath = "jsonpath={.spec.nodeName} {.status.containerStatuses[0].containerID} "
                + "{.status.containerStatuses[0].restartCount} {.status.podIP}";
        String before = get("get", "pod", "steady", "-o", jsonpath);
        assertThat(before).startsWith(NODE + " runsc://");
        assertThat(NodeScrub.sandboxes(nodeDir)).hasSize(1);

        node.destroyForcibly();
        node.waitFor(15, TimeUnit.SECONDS);
        assertThat(NodeScrub.sandboxes(nodeDir)).as("the sandbox outlives its agent").hasSize(1);
        node = startNode();

        await().atMost(Cluster.patience()).untilAsserted(() ->
                assertThat(get("get", "node", NODE, "--no-headers")).containsPattern("^" + NODE + " +Ready "));
        awaitRunning();
        assertThat(get("get", "pod", "steady", "-o", jsonpath)).isEqualTo(before);
        assertThat(NodeScrub.sandboxes(nodeDir)).hasSize(1);
        assertThat(get("exec", "steady", "--", "echo", "still here")).isEqualTo("still here\n");
        assertThat(get("logs", "steady")).isEqualTo("up\n");
    }

    static Process startNode() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "io.kubevisor.cli.Main", "node", "--kubeconfig", nodeKubeconfig.toString(), "--data-dir",
                nodeDir.toString(), "--node-name", NODE, "--node-ip", "127.0.0.1", "--kubelet-address", "127.0.0.1",
                "--kubelet-port", "0", "--pod-cidr", "10.245.0.0/16")
                .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("node.log").toFile())).start();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("Node " + NODE + " is running")) {
                        return;
                    }
                }
                throw new IllegalStateException("kubevisor node exited: " + Files.readString(tmp.resolve("node.log")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ready.get(120, TimeUnit.SECONDS);
        return p;
    }

    static String get(String... args) throws Exception {
        return k.run(args).assertOk().stdout();
    }

    static void awaitRunning() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("get", "pod", "steady", "--no-headers")).containsPattern("^steady +1/1 +Running "));
    }
}

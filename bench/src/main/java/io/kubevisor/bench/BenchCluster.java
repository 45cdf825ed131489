package io.kubevisor.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.cli.ControlPlane;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.controllers.Rbac;
import io.kubevisor.node.NodeAgent;
import io.kubevisor.node.NodeAgentConfig;
import io.kubevisor.node.NodeAgentRbac;
import io.kubevisor.node.pods.ClientPodResources;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.image.ImageStoreOptions;
import io.kubevisor.runtime.net.Ipv4Cidr;
import io.kubevisor.runtime.net.PodNetwork;
import io.kubevisor.runtime.net.PodNetworkOptions;
import io.kubevisor.runtime.provider.GvisorProvider;
import io.kubevisor.runtime.provider.GvisorProviderConfig;
import io.kubevisor.runtime.runsc.RunscOptions;
import io.kubevisor.runtime.runsc.RunscRuntime;

/**
 * {@code kubevisor up} with one difference, as the pod benchmark's node process: the node's pods
 * capacity. {@code kubevisor up} registers its node with the kubelet's default of 110 pods and has
 * no flag to change it, so the idle-pod scenario could never pass 110. This main assembles the same
 * parts the same way ({@code ControlPlane.start} with {@code kubevisor up}'s defaults; the node as
 * {@code LocalNode} and {@code GvisorNode} build it: a {@code system:node:<name>} identity from the
 * cluster CA, the node RBAC, a kubelet serving certificate on loopback, runsc/network/provider
 * defaults) and only sets {@code maxPods}. It prints what {@code kubevisor up} prints and stops
 * on SIGTERM, leaving pods running as {@code kubevisor up} does.
 *
 * <p>Usage: {@code BenchCluster DATA_DIR NODE_NAME MAX_PODS}.
 */
public final class BenchCluster {

    private static final Duration VALIDITY = Duration.ofDays(1);

    private BenchCluster() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        String nodeName = args[1];
        int maxPods = Integer.parseInt(args[2]);
        ControlPlane cp = ControlPlane.start(new ControlPlane.Options(dataDir, "127.0.0.1", 0, null, null, "",
                Duration.ofMinutes(5)));
        Node node;
        try {
            node = startNode(cp, dataDir, nodeName, maxPods);
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            node.close();
            cp.close();
            stop.countDown();
        }));
        System.out.println("Kubevisor is serving at " + cp.url());
        System.out.println("export KUBECONFIG=" + cp.kubeconfig());
        System.out.flush();
        stop.await();
    }

    /** The parts of one node, closed in reverse order; pods keep running. */
    private record Node(RunscRuntime runtime, ImageStore images, KubernetesClient resources, GvisorProvider provider,
                        NodeAgent agent) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            provider.close();
            runtime.close();
            resources.close();
            images.close();
        }
    }

    /** As {@code LocalNode.start} and {@code GvisorNode.start}, with the pods capacity set. */
    private static Node startNode(ControlPlane cp, Path dataDir, String nodeName, int maxPods) {
        ClusterCa ca = ClusterCa.loadOrCreate(dataDir.resolve("pki"));
        KeyMaterial admin = ca.issueClient("kubevisor-bench-admin", List.of("system:masters"), VALIDITY);
        try (KubernetesClient client = credentials(cp, ca, admin).newClient()) {
            Rbac.ensure(client, NodeAgentRbac.objects());
        }
        Config api = credentials(cp, ca, ca.issueClient("system:node:" + nodeName,
                List.of(NodeAgentRbac.NODES_GROUP), VALIDITY)).toConfig();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        KeyMaterial serving = ca.issueServing(List.of(nodeName, "localhost"), List.of(loopback), VALIDITY);
        var kubelet = new NodeAgentConfig.KubeletEndpoint(loopback.getHostAddress(), 0, serving.privateKey(),
                serving.chain(), List.of(ca.certificate()));
        Path nodeDir = dataDir.resolve("node");
        try {
            Files.createDirectories(nodeDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ImageStore images = new ImageStore(ImageStoreOptions.at(nodeDir.resolve("images")));
        RunscRuntime runtime = new RunscRuntime(RunscOptions.defaults(nodeDir.resolve("runsc")));
        PodNetwork network = new PodNetwork(new PodNetworkOptions(Ipv4Cidr.parse("10.244.0.0/16"), 24, null,
                nodeDir.resolve("network"), Duration.ofSeconds(10)));
        KubernetesClient resources = new KubernetesClientBuilder().withConfig(api).build();
        GvisorProvider provider = null;
        try {
            GvisorProviderConfig pc = GvisorProviderConfig.of(nodeName, nodeDir.resolve("pods"), runtime, images,
                    network, new ClientPodResources(resources)).withInternalIp(loopback.getHostAddress())
                    .withCapacity(new GvisorProviderConfig.NodeCapacity(Map.of(), Map.of(), maxPods));
            provider = new GvisorProvider(pc);
            NodeAgent agent = new NodeAgent(NodeAgentConfig.of(nodeName, api, provider, kubelet));
            agent.start();
            return new Node(runtime, images, resources, provider, agent);
        } catch (RuntimeException e) {
            if (provider != null) {
                provider.close();
            }
            resources.close();
            runtime.close();
            throw e;
        }
    }

    private static ClientCredentials credentials(ControlPlane cp, ClusterCa ca, KeyMaterial client) {
        return new ClientCredentials(cp.url(), ca.certificatePem(), client.certificatePem(), client.privateKeyPem(),
                client.privateKey().getAlgorithm());
    }
}

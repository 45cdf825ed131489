package io.kubevisor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.controllers.KubeClients;
import io.kubevisor.node.NodeAgent;
import io.kubevisor.node.NodeAgentConfig;
import io.kubevisor.node.pods.ClientPodResources;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.net.Ipv4Cidr;
import io.kubevisor.runtime.net.PodNetwork;
import io.kubevisor.runtime.net.PodNetworkOptions;
import io.kubevisor.runtime.provider.GvisorProvider;
import io.kubevisor.runtime.provider.GvisorProviderConfig;
import io.kubevisor.runtime.runsc.RunscOptions;
import io.kubevisor.runtime.runsc.RunscRuntime;

/**
 * The assembly of one node on this host: the node agent driving the gVisor provider, which runs
 * pods as runsc sandboxes with images from the node's image store on the node's pod network.
 * Shared by {@code kubevisor up} (a node beside the control plane) and {@code kubevisor node}.
 *
 * <p>Under the node's directory: {@code runsc/} (runsc's state and the sandboxes' bundles),
 * {@code network/} (address allocations), {@code pods/} (the provider's per-pod state, logs
 * and volumes); images live in {@code images/} beside them, where {@code kubevisor image import}
 * puts them. Everything survives a restart, so a restarted node re-adopts its running pods.
 * Closing stops the agent and the provider's workers; the pods keep running.
 */
public final class GvisorNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GvisorNode.class);

    /**
     * What a node needs besides its identity.
     *
     * @param nodeName   the Node's name
     * @param nodeDir    the node's directory (see the class description)
     * @param images     the node's image store directory and registry configuration come from here
     * @param podCidr    the pods' address range
     * @param internalIp the node's InternalIP, where the API server reaches its kubelet endpoint;
     *                   null picks the host's primary address
     * @param kubelet    the kubelet endpoint
     * @param maxPods    the node's pods capacity (the kubelet's default is 110)
     */
    public record Options(String nodeName, Path nodeDir, ImageStore images, String podCidr, String internalIp,
                   NodeAgentConfig.KubeletEndpoint kubelet, int maxPods) {
    }

    private final RunscRuntime runtime;
    private final ImageStore images;
    private final KubernetesClient resourcesClient;
    private final ClientPodResources resources;
    private final GvisorProvider provider;
    private final NodeAgent agent;

    private GvisorNode(RunscRuntime runtime, ImageStore images, KubernetesClient resourcesClient,
                       ClientPodResources resources, GvisorProvider provider, NodeAgent agent) {
        this.runtime = runtime;
        this.images = images;
        this.resourcesClient = resourcesClient;
        this.resources = resources;
        this.provider = provider;
        this.agent = agent;
    }

    /**
     * Why this host cannot run gVisor pods, or an empty list when it can: runsc and busybox-static
     * installed, {@code ip} present, running as root with cgroup v1 controllers mounted.
     */
    public static List<String> missingPrerequisites() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("runsc sandboxes and pod networks need root");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/runsc"))) {
            missing.add("/usr/bin/runsc is missing (apt-get install runsc)");
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            missing.add("/bin/busybox is missing (apt-get install busybox-static)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            missing.add("ip is missing (apt-get install iproute2)");
        }
        if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))) {
            missing.add("the cgroup v1 memory controller is not mounted at /sys/fs/cgroup/memory");
        }
        return missing;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through: not Linux, certainly no runsc
        }
        return false;
    }

    /**
     * Opens the runtime, the network and the provider (which re-adopts pods left running), then
     * starts the agent: it registers the Node and syncs its pods before this returns.
     *
     * @param api the agent's API credentials (a {@code system:node:<name>} identity)
     * @throws RuntimeException when a part cannot start; what started is closed again
     */
    public static GvisorNode start(Options o, Config api) throws IOException {
        Path nodeDir = o.nodeDir().toAbsolutePath();
        Files.createDirectories(nodeDir);
        RunscRuntime runtime = new RunscRuntime(RunscOptions.defaults(nodeDir.resolve("runsc")));
        PodNetwork network = new PodNetwork(new PodNetworkOptions(Ipv4Cidr.parse(o.podCidr()), 24, null,
                nodeDir.resolve("network"), java.time.Duration.ofSeconds(10)));
        KubernetesClient resourcesClient = KubeClients.newClient(api);
        ClientPodResources resources = new ClientPodResources(resourcesClient);
        GvisorProvider provider = null;
        try {
            GvisorProviderConfig pc = GvisorProviderConfig.of(o.nodeName(), nodeDir.resolve("pods"), runtime,
                    o.images(), network, resources).withInternalIp(o.internalIp())
                    .withCapacity(new GvisorProviderConfig.NodeCapacity(Map.of(), Map.of(), o.maxPods()));
            provider = new GvisorProvider(pc);
            NodeAgent agent = new NodeAgent(NodeAgentConfig.of(o.nodeName(), api, provider, o.kubelet()));
            agent.start();
            LOG.info("event=node_started node={} dir={} podCidr={} kubeletPort={}", o.nodeName(), nodeDir,
                    o.podCidr(), agent.kubeletPort());
            return new GvisorNode(runtime, o.images(), resourcesClient, resources, provider, agent);
        } catch (RuntimeException e) {
            if (provider != null) {
                provider.close();
            }
            resources.close();
            resourcesClient.close();
            runtime.close();
            throw e;
        }
    }

    /** The kubelet endpoint's port. */
    public int kubeletPort() {
        return agent.kubeletPort();
    }

    @Override
    public void close() {
        agent.close();
        provider.close();
        runtime.close();
        resources.close();
        resourcesClient.close();
        images.close();
    }
}

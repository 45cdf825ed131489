package io.kubevisor.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.node.NodeAgentConfig;
import io.kubevisor.node.NodeAgentRbac;

/**
 * The node {@code kubevisor up} starts beside its control plane: the control plane's CA issues
 * its identity ({@code system:node:<name>} in {@code system:nodes}, whose role the control plane
 * grants at startup) and its kubelet serving certificate, and the kubelet endpoint listens on
 * loopback on a free port (the Node advertises it), where the API server reaches it.
 */
public final class LocalNode {

    private static final Duration CERT_VALIDITY = Duration.ofDays(365);

    private LocalNode() {
    }

    public static GvisorNode start(ControlPlane cp, Path dataDir, String nodeName, String podCidr, int maxPods)
            throws IOException {
        var identity = cp.credentials("system:node:" + nodeName, List.of(NodeAgentRbac.NODES_GROUP), CERT_VALIDITY);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        KeyMaterial serving = cp.ca().issueServing(List.of(nodeName, "localhost"), List.of(loopback), CERT_VALIDITY);
        var kubelet = new NodeAgentConfig.KubeletEndpoint(loopback.getHostAddress(), 0, serving.privateKey(),
                serving.chain(), List.of(cp.ca().certificate()));
        Path dir = dataDir.toAbsolutePath();
        return GvisorNode.start(new GvisorNode.Options(nodeName, dir.resolve("node"), ImageCommand.store(dir), podCidr,
                loopback.getHostAddress(), kubelet, maxPods), identity.toConfig());
    }

    /** This host's name as a Node name: lower case, a DNS subdomain. */
    public static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        return name.isEmpty() ? "localhost" : name;
    }
}

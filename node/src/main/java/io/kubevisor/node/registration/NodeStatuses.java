package io.kubevisor.node.registration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubevisor.node.KubeTime;
import io.kubevisor.node.provider.NodeResources;

/**
 * Computes a Node's status as the kubelet writes it: capacity, allocatable, addresses, daemon
 * endpoint, nodeInfo, and the four conditions with the kubelet's reasons and messages. Transition
 * times carry over from the previous status while a condition keeps its value. Stateless.
 */
public final class NodeStatuses {

    /** Kubelet's default pod limit, used when the provider does not say. */
    static final String DEFAULT_PODS = "110";

    private NodeStatuses() {
    }

    /**
     * Whether the node can run pods.
     *
     * @param message why not, shown in the Ready condition; ignored when ready
     */
    public record Health(boolean ready, String message) {
        public static Health ok() {
            return new Health(true, "");
        }
    }

    /**
     * @param info     what the provider reports, or null when it does not implement NodeResources
     * @param previous the status last written, or null
     */
    public static NodeStatus build(NodeIdentity id, NodeResources.NodeInfo info, Health health, NodeStatus previous,
                                   Instant now) {
        Map<String, Quantity> capacity = quantities(info == null ? Map.of() : info.capacity());
        capacity.putIfAbsent("pods", new Quantity(DEFAULT_PODS));
        Map<String, Quantity> allocatable = info == null || info.allocatable() == null || info.allocatable().isEmpty()
                ? new LinkedHashMap<>(capacity) : quantities(info.allocatable());
        allocatable.putIfAbsent("pods", capacity.get("pods"));

        NodeSystemInfo sys = new NodeSystemInfo();
        sys.setArchitecture(id.architecture());
        sys.setOperatingSystem(id.operatingSystem());
        sys.setKubeletVersion(id.kubeletVersion());
        sys.setKubeProxyVersion("");
        sys.setContainerRuntimeVersion(info == null || info.runtime() == null ? "" : info.runtime());
        sys.setKernelVersion(info == null || info.kernelVersion() == null ? "" : info.kernelVersion());
        sys.setOsImage(info == null || info.osImage() == null ? "" : info.osImage());
        sys.setMachineID("");
        sys.setSystemUUID("");
        sys.setBootID("");

        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(allocatable)
                .withAddresses(addresses(id.name(), info))
                .withNewDaemonEndpoints().withNewKubeletEndpoint(id.kubeletPort()).endDaemonEndpoints()
                .withNodeInfo(sys)
                .withConditions(conditions(health, previous == null ? List.of() : previous.getConditions(), now))
                .build();
    }

    /** The InternalIP the provider reports, or null. */
    public static String internalIp(NodeResources.NodeInfo info) {
        return info == null || info.addresses() == null ? null : info.addresses().get("InternalIP");
    }

    private static Map<String, Quantity> quantities(Map<String, String> in) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, new Quantity(v)));
        }
        return out;
    }

    private static List<NodeAddress> addresses(String name, NodeResources.NodeInfo info) {
        Map<String, String> given = info == null || info.addresses() == null ? Map.of() : info.addresses();
        List<NodeAddress> out = new ArrayList<>();
        // Kubelet's order: IPs first, then the hostname.
        for (String type : List.of("InternalIP", "ExternalIP", "InternalDNS", "ExternalDNS", "Hostname")) {
            String v = given.get(type);
            if (v == null && type.equals("Hostname")) {
                v = name;
            }
            if (v != null) {
                out.add(new NodeAddress(v, type));
            }
        }
        given.keySet().stream().sorted().filter(t -> out.stream().noneMatch(a -> a.getType().equals(t)))
                .forEach(t -> out.add(new NodeAddress(given.get(t), t)));
        return out;
    }

    /** MemoryPressure, DiskPressure, PIDPressure, Ready, in the kubelet's order and words. */
    static List<NodeCondition> conditions(Health health, List<NodeCondition> previous, Instant now) {
        List<NodeCondition> out = new ArrayList<>();
        out.add(condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", previous, now));
        out.add(condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
                previous, now));
        out.add(condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
                previous, now));
        out.add(health.ready()
                ? condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", previous, now)
                : condition("Ready", "False", "KubeletNotReady", health.message(), previous, now));
        return out;
    }

    private static NodeCondition condition(String type, String status, String reason, String message,
                                           List<NodeCondition> previous, Instant now) {
        String stamp = KubeTime.format(now);
        String transition = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(NodeCondition::getLastTransitionTime)
                .filter(t -> t != null)
                .findFirst().orElse(stamp);
        NodeCondition c = new NodeCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastHeartbeatTime(stamp);
        c.setLastTransitionTime(transition);
        return c;
    }

    /** Whether two statuses differ in more than their heartbeat times. */
    public static boolean changed(NodeStatus a, NodeStatus b) {
        if (a == null || b == null) {
            return a != b;
        }
        return !withoutHeartbeats(a).equals(withoutHeartbeats(b));
    }

    private static NodeStatus withoutHeartbeats(NodeStatus s) {
        NodeStatus copy = new NodeStatusBuilder(s).build();
        List<NodeCondition> cs = new ArrayList<>();
        for (NodeCondition c : copy.getConditions()) {
            NodeCondition x = new io.fabric8.kubernetes.api.model.NodeConditionBuilder(c).build();
            x.setLastHeartbeatTime(null);
            cs.add(x);
        }
        copy.setConditions(cs);
        return copy;
    }
}

package io.kubevisor.node.kubelet;

import java.time.Instant;
import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.node.KubeTime;
import io.kubevisor.node.provider.PodStats;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code stats/v1alpha1} Summary, as {@code /stats/summary} serves it to metrics-server:
 * the node and each pod with its containers' CPU and memory. The node's figures are the sum of its
 * pods' (the agent knows no host-wide usage). Stateless.
 */
final class StatsSummary {

    private StatsSummary() {
    }

    static ObjectNode of(String nodeName, Instant nodeStart, Instant now, List<PodStats.PodUsage> usage) {
        ObjectNode root = Json.object();
        ObjectNode node = root.putObject("node");
        node.put("nodeName", nodeName);
        node.put("startTime", KubeTime.format(nodeStart));
        long nanoCores = 0;
        long coreNanos = 0;
        long memory = 0;
        for (PodStats.PodUsage p : usage) {
            nanoCores += p.cpuUsageNanoCores();
            coreNanos += p.cpuUsageCoreNanoSeconds();
            memory += p.memoryWorkingSetBytes();
        }
        cpu(node, now, nanoCores, coreNanos);
        memory(node, now, memory);
        ArrayNode pods = root.putArray("pods");
        for (PodStats.PodUsage p : usage) {
            ObjectNode pod = pods.addObject();
            ObjectNode ref = pod.putObject("podRef");
            ref.put("name", p.pod().name());
            ref.put("namespace", p.pod().namespace());
            ref.put("uid", p.pod().uid());
            Instant t = p.time() == null ? now : p.time();
            ArrayNode containers = pod.putArray("containers");
            for (PodStats.ContainerUsage c : p.containers()) {
                ObjectNode container = containers.addObject();
                container.put("name", c.name());
                cpu(container, t, c.cpuUsageNanoCores(), c.cpuUsageCoreNanoSeconds());
                memory(container, t, c.memoryWorkingSetBytes());
            }
            cpu(pod, t, p.cpuUsageNanoCores(), p.cpuUsageCoreNanoSeconds());
            memory(pod, t, p.memoryWorkingSetBytes());
        }
        return root;
    }

    private static void cpu(ObjectNode parent, Instant t, long nanoCores, long coreNanos) {
        ObjectNode cpu = parent.putObject("cpu");
        cpu.put("time", KubeTime.format(t));
        cpu.put("usageNanoCores", nanoCores);
        cpu.put("usageCoreNanoSeconds", coreNanos);
    }

    private static void memory(ObjectNode parent, Instant t, long workingSet) {
        ObjectNode m = parent.putObject("memory");
        m.put("time", KubeTime.format(t));
        m.put("workingSetBytes", workingSet);
    }
}

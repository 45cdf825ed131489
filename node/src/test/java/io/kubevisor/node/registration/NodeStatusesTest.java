package io.kubevisor.node.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.kubevisor.node.provider.NodeResources;

class NodeStatusesTest {

    final NodeIdentity id = new NodeIdentity("node-a", "v1.33.1", 10250, "linux", "amd64");
    final NodeResources.NodeInfo info = new NodeResources.NodeInfo(Map.of("cpu", "2", "memory", "4Gi"), Map.of(),
            Map.of("InternalIP", "10.0.0.5"), "runsc://1.0", "6.1.0", "Debian GNU/Linux 13", Map.of(), List.of());
    final Instant t0 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void statusCarriesWhatTheKubeletReports() {
        NodeStatus s = NodeStatuses.build(id, info, NodeStatuses.Health.ok(), null, t0);

        assertThat(s.getConditions()).extracting("type", "status", "reason", "message").containsExactly(
                org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available"),
                org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure"),
                org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available"),
                org.assertj.core.groups.Tuple.tuple("Ready", "True", "KubeletReady", "kubelet is posting ready status"));
        assertThat(s.getCapacity()).containsOnlyKeys("cpu", "memory", "pods");
        assertThat(s.getAllocatable().get("memory").toString()).isEqualTo("4Gi");
        assertThat(s.getAddresses()).extracting("type", "address").containsExactly(
                org.assertj.core.groups.Tuple.tuple("InternalIP", "10.0.0.5"),
                org.assertj.core.groups.Tuple.tuple("Hostname", "node-a"));
        assertThat(s.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
        assertThat(s.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("runsc://1.0");
        assertThat(s.getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.1");
        assertThat(s.getNodeInfo().getArchitecture()).isEqualTo("amd64");
    }

    @Test
    void transitionTimesMoveOnlyWhenAConditionFlips() {
        NodeStatus first = NodeStatuses.build(id, info, NodeStatuses.Health.ok(), null, t0);
        Instant t1 = t0.plusSeconds(10);
        NodeStatus same = NodeStatuses.build(id, info, NodeStatuses.Health.ok(), first, t1);
        NodeStatus down = NodeStatuses.build(id, info, new NodeStatuses.Health(false, "pod provider is not healthy: x"),
                same, t1.plusSeconds(10));

        assertThat(same.getConditions().getLast().getLastTransitionTime()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(same.getConditions().getLast().getLastHeartbeatTime()).isEqualTo("2025-03-01T10:00:10Z");
        assertThat(NodeStatuses.changed(first, same)).as("only heartbeats moved").isFalse();
        assertThat(down.getConditions().getLast()).extracting("status", "reason", "message", "lastTransitionTime")
                .containsExactly("False", "KubeletNotReady", "pod provider is not healthy: x", "2025-03-01T10:00:20Z");
        assertThat(NodeStatuses.changed(same, down)).isTrue();
    }

    @Test
    void withoutNodeResourcesTheNodeStillHasAPodCapacityAndItsHostname() {
        NodeStatus s = NodeStatuses.build(id, null, NodeStatuses.Health.ok(), null, t0);
        assertThat(s.getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(s.getAddresses()).extracting("type").containsExactly("Hostname");
    }

    @Test
    void labelsAndTaintsAsTheKubeletWritesThem() {
        var withLabels = new NodeResources.NodeInfo(Map.of(), Map.of(), Map.of(), "", "", "",
                Map.of("kubevisor.io/runtime", "gvisor", "kubernetes.io/os", "ignored"),
                List.of("kubevisor.io/sandboxed=true:NoSchedule", "dedicated:NoExecute"));
        assertThat(NodeRegistration.labels(id, withLabels)).containsEntry("kubernetes.io/hostname", "node-a")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("beta.kubernetes.io/arch", "amd64").containsEntry("kubevisor.io/runtime", "gvisor");
        assertThat(Taints.parse(withLabels.taints())).extracting("key", "value", "effect").containsExactly(
                org.assertj.core.groups.Tuple.tuple("kubevisor.io/sandboxed", "true", "NoSchedule"),
                org.assertj.core.groups.Tuple.tuple("dedicated", null, "NoExecute"));
        assertThat(NodeIdentity.goArch("aarch64")).isEqualTo("arm64");
        assertThat(NodeIdentity.goArch("x86_64")).isEqualTo("amd64");
    }
}

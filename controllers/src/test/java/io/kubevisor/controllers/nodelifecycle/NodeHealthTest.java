package io.kubevisor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;

class NodeHealthTest {

    private static final String CREATED = "2025-01-01T00:00:00Z";
    private static final String BEAT = "2025-01-01T00:10:00Z";
    private static final String NOW = "2025-01-01T00:11:00Z";

    private static Node node() {
        return new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp(CREATED).endMetadata()
                .withNewStatus()
                .addNewCondition().withType("MemoryPressure").withStatus("False").withReason("KubeletHasSufficientMemory")
                .withLastHeartbeatTime(BEAT).withLastTransitionTime(CREATED).endCondition()
                .addNewCondition().withType("NetworkUnavailable").withStatus("False").withReason("RouteCreated")
                .withLastHeartbeatTime(BEAT).withLastTransitionTime(CREATED).endCondition()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(BEAT)
                .withLastTransitionTime(CREATED).endCondition()
                .endStatus().build();
    }

    private static String line(NodeCondition c) {
        return String.join("|", c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastHeartbeatTime(),
                c.getLastTransitionTime());
    }

    @Test
    void aSilentNodesConditionsBecomeUnknownAsKubernetesWritesThem() {
        Node marked = NodeHealth.markedUnknown(node(), NOW);
        List<String> lines = marked.getStatus().getConditions().stream().map(NodeHealthTest::line).toList();
        assertThat(lines).containsExactly(
                "MemoryPressure|Unknown|NodeStatusUnknown|Kubelet stopped posting node status.|" + BEAT + "|" + NOW,
                "NetworkUnavailable|False|RouteCreated|null|" + BEAT + "|" + CREATED,
                "Ready|Unknown|NodeStatusUnknown|Kubelet stopped posting node status.|" + BEAT + "|" + NOW,
                "DiskPressure|Unknown|NodeStatusNeverUpdated|Kubelet never posted node status.|" + CREATED + "|" + NOW,
                "PIDPressure|Unknown|NodeStatusNeverUpdated|Kubelet never posted node status.|" + CREATED + "|" + NOW);
        assertThat(NodeHealth.readyStatus(marked)).isEqualTo("Unknown");
    }

    @Test
    void markingTwiceChangesNothing() {
        Node marked = NodeHealth.markedUnknown(node(), NOW);
        assertThat(NodeHealth.markedUnknown(marked, "2025-01-01T00:12:00Z")).isNull();
    }

    @Test
    void aNodeThatNeverPostedStatusGetsUnknownConditions() {
        Node bare = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp(CREATED).endMetadata()
                .build();
        assertThat(NodeHealth.readyStatus(bare)).isNull();
        Node marked = NodeHealth.markedUnknown(bare, NOW);
        assertThat(marked.getStatus().getConditions()).extracting(NodeCondition::getType)
                .containsExactly("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        assertThat(marked.getStatus().getConditions()).extracting(NodeCondition::getReason)
                .containsOnly("NodeStatusNeverUpdated");
    }
}

package io.kubevisor.controllers.nodelifecycle;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;

/**
 * What Kubernetes' node lifecycle controller writes into a node's status when its agent has gone
 * silent for longer than the grace period: Ready and the pressure conditions become
 * {@code Unknown} (reason {@code NodeStatusUnknown}, message {@code Kubelet stopped posting node
 * status.}; a condition the agent never posted is added with {@code NodeStatusNeverUpdated} and
 * {@code Kubelet never posted node status.}). NetworkUnavailable is left alone, as Kubernetes
 * does. Heartbeat times are kept, so the write does not look like the agent speaking. Stateless.
 */
public final class NodeHealth {

    static final String READY = "Ready";
    static final List<String> UNKNOWN_ON_SILENCE = List.of(READY, "MemoryPressure", "DiskPressure", "PIDPressure");
    static final String STOPPED_REASON = "NodeStatusUnknown";
    static final String STOPPED_MESSAGE = "Kubelet stopped posting node status.";
    static final String NEVER_REASON = "NodeStatusNeverUpdated";
    static final String NEVER_MESSAGE = "Kubelet never posted node status.";

    private NodeHealth() {
    }

    /**
     * The node with its conditions marked Unknown, or null when they are Unknown already.
     *
     * @param now the time to stamp transitions with (RFC 3339)
     */
    public static Node markedUnknown(Node node, String now) {
        List<NodeCondition> conditions = new ArrayList<>(node.getStatus() == null
                || node.getStatus().getConditions() == null ? List.of() : node.getStatus().getConditions());
        boolean changed = false;
        for (String type : UNKNOWN_ON_SILENCE) {
            NodeCondition c = find(conditions, type);
            if (c == null) {
                conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
                        .withReason(NEVER_REASON).withMessage(NEVER_MESSAGE)
                        .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(now).build());
                changed = true;
            } else if (!"Unknown".equals(c.getStatus())) {
                conditions.set(conditions.indexOf(c), new NodeConditionBuilder(c).withStatus("Unknown")
                        .withReason(STOPPED_REASON).withMessage(STOPPED_MESSAGE).withLastTransitionTime(now).build());
                changed = true;
            }
        }
        return changed ? new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build() : null;
    }

    /** The status of the node's Ready condition, or null when it has none. */
    public static String readyStatus(Node node) {
        NodeCondition c = node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : find(node.getStatus().getConditions(), READY);
        return c == null ? null : c.getStatus();
    }

    /** The Ready condition's heartbeat time, or null. */
    static String readyHeartbeat(Node node) {
        NodeCondition c = node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : find(node.getStatus().getConditions(), READY);
        return c == null ? null : c.getLastHeartbeatTime();
    }

    private static NodeCondition find(List<NodeCondition> conditions, String type) {
        for (NodeCondition c : conditions) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }
}

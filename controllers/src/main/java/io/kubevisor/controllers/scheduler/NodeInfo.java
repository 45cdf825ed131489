package io.kubevisor.controllers.scheduler;

import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * A node as the scheduler sees it in one scheduling cycle: the Node object and what the pods
 * bound (or about to be bound) to it request. Immutable; the Node must not be modified.
 *
 * @param node             the node
 * @param requested        the sum of the requests of its pods that are not finished
 * @param nonZeroRequested the same with the non-zero defaults kube-scheduler scores with
 * @param pods             how many such pods it has
 */
public record NodeInfo(Node node, Resources requested, Resources nonZeroRequested, int pods) {

    public NodeInfo {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(nonZeroRequested, "nonZeroRequested");
    }

    /** A node without pods. */
    public static NodeInfo empty(Node node) {
        return new NodeInfo(node, Resources.NONE, Resources.NONE, 0);
    }

    /** The node's name. */
    public String name() {
        return node.getMetadata().getName();
    }

    /** What the node offers to pods ({@code status.allocatable}). */
    public Resources allocatable() {
        return node.getStatus() == null ? Resources.NONE : Resources.of(node.getStatus().getAllocatable());
    }

    /** How many pods the node takes ({@code status.allocatable.pods}; none when unset, as in Kubernetes). */
    public long allowedPods() {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
            return 0;
        }
        Quantity q = node.getStatus().getAllocatable().get("pods");
        return q == null ? 0 : Resources.whole(q);
    }

    /** Whether the node's Ready condition is True. */
    public boolean ready() {
        List<NodeCondition> cs = node.getStatus() == null ? null : node.getStatus().getConditions();
        if (cs == null) {
            return false;
        }
        return cs.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Whether {@code spec.unschedulable} is set. */
    public boolean cordoned() {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }
}

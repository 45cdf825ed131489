package io.kubevisor.controllers.scheduler;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;

/**
 * A pod's node selector and node affinity against a node's labels and name, as kube-scheduler's
 * NodeAffinity plugin evaluates them. Stateless.
 */
public final class NodeAffinity {

    private NodeAffinity() {
    }

    /**
     * Whether the node satisfies the pod's {@code nodeSelector} (every pair) and its
     * {@code requiredDuringSchedulingIgnoredDuringExecution} node affinity (any term).
     */
    public static boolean required(PodSpec spec, Node node) {
        Map<String, String> labels = labels(node);
        if (spec.getNodeSelector() != null) {
            for (Map.Entry<String, String> e : spec.getNodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
                : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        return required == null || anyTermMatches(required.getNodeSelectorTerms(), node);
    }

    /** The sum of the weights of the pod's preferred node affinity terms the node matches. */
    public static long preferredWeight(PodSpec spec, Node node) {
        if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null) {
            return 0;
        }
        List<PreferredSchedulingTerm> preferred =
                spec.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        long sum = 0;
        for (PreferredSchedulingTerm p : preferred == null ? List.<PreferredSchedulingTerm>of() : preferred) {
            if (p.getWeight() != null && p.getWeight() != 0 && p.getPreference() != null
                    && termMatches(p.getPreference(), node)) {
                sum += p.getWeight();
            }
        }
        return sum;
    }

    /** Terms are ORed; no terms matches no node. */
    static boolean anyTermMatches(List<NodeSelectorTerm> terms, Node node) {
        for (NodeSelectorTerm t : terms == null ? List.<NodeSelectorTerm>of() : terms) {
            if (termMatches(t, node)) {
                return true;
            }
        }
        return false;
    }

    /** Requirements within a term are ANDed; a term without any matches nothing. */
    static boolean termMatches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> exprs = nullSafe(term.getMatchExpressions());
        List<NodeSelectorRequirement> fields = nullSafe(term.getMatchFields());
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = labels(node);
        for (NodeSelectorRequirement r : exprs) {
            if (!requirementMatches(r, labels)) {
                return false;
            }
        }
        // metadata.name is the only field a node can be selected by.
        Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
        for (NodeSelectorRequirement r : fields) {
            if (!"metadata.name".equals(r.getKey()) || !List.of("In", "NotIn").contains(r.getOperator())
                    || !requirementMatches(r, nodeFields)) {
                return false;
            }
        }
        return true;
    }

    static boolean requirementMatches(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = nullSafe(r.getValues());
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> value != null && values.size() == 1
                    && compares(r.getOperator(), value, values.getFirst());
            default -> false;
        };
    }

    /** Gt and Lt compare the label and the single value as 64-bit integers; unparsable never matches. */
    private static boolean compares(String op, String label, String bound) {
        try {
            long l = Long.parseLong(label);
            long b = Long.parseLong(bound);
            return op.equals("Gt") ? l > b : l < b;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> l = node.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }
}

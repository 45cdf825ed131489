package io.kubevisor.controllers.nodelifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * The taints Kubernetes' node lifecycle controller derives from a node's conditions, and keeps in
 * step with them: {@code NoSchedule} taints for a Ready condition that is False
 * ({@code node.kubernetes.io/not-ready}) or Unknown ({@code node.kubernetes.io/unreachable}), for
 * memory, disk and PID pressure, an unavailable network and a cordoned node; and the
 * {@code NoExecute} not-ready or unreachable taint, which evicts pods that do not tolerate it
 * ({@link TaintEviction}). NoExecute taints carry the time they were added. Other taints are
 * never touched. Stateless.
 */
public final class ConditionTaints {

    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    /** condition type → (condition status → taint key), Kubernetes' nodeConditionToTaintKeyStatusMap. */
    private static final Map<String, Map<String, String>> BY_CONDITION = Map.of(
            "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
            "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
            "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
            "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"),
            "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"));
    private static final Set<String> NO_EXECUTE_KEYS = Set.of(NOT_READY, UNREACHABLE);

    private ConditionTaints() {
    }

    /** The taints this controller wants on the node now (without times). */
    public static List<Taint> desired(Node node) {
        List<Taint> out = new ArrayList<>();
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        for (NodeCondition c : conditions) {
            String key = BY_CONDITION.getOrDefault(c.getType(), Map.of()).get(c.getStatus());
            if (key != null) {
                out.add(taint(key, "NoSchedule"));
                if (NO_EXECUTE_KEYS.contains(key)) {
                    out.add(taint(key, "NoExecute"));
                }
            }
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            out.add(taint(UNSCHEDULABLE, "NoSchedule"));
        }
        return out;
    }

    /**
     * The node's taints made to agree with {@code desired}: managed taints not desired are
     * removed, desired ones missing are added (NoExecute ones stamped {@code now}), everything
     * else stays in place.
     *
     * @return the new taint list, or empty when nothing changes
     */
    public static Optional<List<Taint>> reconcile(List<Taint> current, List<Taint> desired, String now) {
        List<Taint> have = current == null ? List.of() : current;
        List<Taint> out = new ArrayList<>();
        boolean changed = false;
        for (Taint t : have) {
            if (managed(t) && desired.stream().noneMatch(d -> same(d, t))) {
                changed = true;
            } else {
                out.add(t);
            }
        }
        for (Taint d : desired) {
            if (have.stream().noneMatch(t -> same(d, t))) {
                out.add("NoExecute".equals(d.getEffect()) ? new TaintBuilder(d).withTimeAdded(now).build() : d);
                changed = true;
            }
        }
        return changed ? Optional.of(out) : Optional.empty();
    }

    /** Whether this controller owns the taint: one of the keys and effects it ever sets. */
    static boolean managed(Taint t) {
        if ("NoExecute".equals(t.getEffect())) {
            return NO_EXECUTE_KEYS.contains(t.getKey());
        }
        if (!"NoSchedule".equals(t.getEffect())) {
            return false;
        }
        return UNSCHEDULABLE.equals(t.getKey())
                || BY_CONDITION.values().stream().anyMatch(m -> m.containsValue(t.getKey()));
    }

    private static boolean same(Taint a, Taint b) {
        return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect());
    }

    private static Taint taint(String key, String effect) {
        return new TaintBuilder().withKey(key).withEffect(effect).build();
    }
}

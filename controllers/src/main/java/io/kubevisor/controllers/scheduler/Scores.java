package io.kubevisor.controllers.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * Scores the nodes a pod fits, as kube-scheduler's default scoring plugins would, 0–100 each,
 * weighted and summed: NodeResourcesFit with the LeastAllocated strategy over CPU and memory
 * (weight 1, using the non-zero requests so that pods without requests still spread),
 * TaintToleration (weight 3: fewer untolerated PreferNoSchedule taints is better) and
 * NodeAffinity's preferred terms (weight 2). Stateless.
 */
public final class Scores {

    static final int MAX = 100;
    static final int LEAST_ALLOCATED_WEIGHT = 1;
    static final int TAINT_WEIGHT = 3;
    static final int AFFINITY_WEIGHT = 2;

    private Scores() {
    }

    /** The total score of each node, in the order given. */
    public static Map<String, Long> of(PodSpec spec, Resources podNonZero, List<NodeInfo> feasible) {
        long[] taints = new long[feasible.size()];
        long[] affinity = new long[feasible.size()];
        for (int i = 0; i < feasible.size(); i++) {
            var node = feasible.get(i).node();
            taints[i] = Tolerations.untoleratedPreferNoSchedule(
                    node.getSpec() == null ? null : node.getSpec().getTaints(), spec.getTolerations());
            affinity[i] = NodeAffinity.preferredWeight(spec, node);
        }
        normalize(taints, true);
        normalize(affinity, false);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < feasible.size(); i++) {
            NodeInfo n = feasible.get(i);
            out.put(n.name(), LEAST_ALLOCATED_WEIGHT * leastAllocated(podNonZero, n) + TAINT_WEIGHT * taints[i]
                    + AFFINITY_WEIGHT * affinity[i]);
        }
        return out;
    }

    /** The average over CPU and memory of the share left free once the pod is on the node, 0–100. */
    static long leastAllocated(Resources podNonZero, NodeInfo n) {
        Resources alloc = n.allocatable();
        long cpu = free(alloc.milliCpu(), n.nonZeroRequested().milliCpu() + podNonZero.milliCpu());
        long memory = free(alloc.memory(), n.nonZeroRequested().memory() + podNonZero.memory());
        return (cpu + memory) / 2;
    }

    private static long free(long capacity, long requested) {
        if (capacity <= 0 || requested > capacity) {
            return 0;
        }
        // capacity · 100 stays far from overflow for any real node (bytes < 2^56).
        return (capacity - requested) * MAX / capacity;
    }

    /** Scales raw scores to 0–100 by the largest; reversed, the largest becomes 0 (kube-scheduler's helper). */
    static void normalize(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX : 0;
            } else {
                long s = scores[i] * MAX / max;
                scores[i] = reverse ? MAX - s : s;
            }
        }
    }
}

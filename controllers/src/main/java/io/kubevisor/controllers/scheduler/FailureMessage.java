package io.kubevisor.controllers.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message kube-scheduler (1.27–1.33) gives an unschedulable pod, in its PodScheduled
 * condition and FailedScheduling event, e.g.
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node
 * affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for
 * incoming pod, 2 Preemption is not helpful for scheduling.}
 * <p>
 * The first part counts each reason over all nodes (a node short of both CPU and memory counts
 * in both), as "count reason" strings sorted as strings. The preemption part is what
 * kube-scheduler's default preemption says when it finds nothing to preempt: nodes that failed
 * for a reason other than resources are "not helpful"; nodes short of resources have "no
 * victims". This scheduler never preempts, so it always reports the latter for them, also
 * when lower-priority pods exist. Stateless.
 */
public final class FailureMessage {

    /** kube-scheduler's error when the cluster has no nodes at all. */
    public static final String NO_NODES = "no nodes available to schedule pods";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NEVER = "not eligible due to preemptionPolicy=Never.";

    private FailureMessage() {
    }

    /**
     * @param verdicts           the verdict for each node, none of which fits
     * @param preemptionPolicy   the pod's {@code spec.preemptionPolicy} (null means the default)
     */
    public static String of(Collection<Verdict> verdicts, String preemptionPolicy) {
        int all = verdicts.size();
        List<String> reasons = new ArrayList<>();
        List<String> preemption = new ArrayList<>();
        for (Verdict v : verdicts) {
            reasons.addAll(v.reasons());
            preemption.add(v.resolvable() ? NO_VICTIMS : NOT_HELPFUL);
        }
        String post = "Never".equals(preemptionPolicy) ? NEVER : available(all, preemption);
        return available(all, reasons) + " preemption: " + post;
    }

    private static String available(int all, List<String> reasons) {
        Map<String, Integer> counts = new TreeMap<>();
        reasons.forEach(r -> counts.merge(r, 1, Integer::sum));
        List<String> histogram = new ArrayList<>();
        counts.forEach((reason, n) -> histogram.add(n + " " + reason));
        histogram.sort(null);
        return "0/" + all + " nodes are available: " + String.join(", ", histogram) + ".";
    }
}

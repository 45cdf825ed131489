package io.kubevisor.controllers.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * One scheduling decision: filter every node ({@link Filters}), score those that fit
 * ({@link Scores}) and take the best; among equally good nodes, the one with fewest pods, and
 * among those the next in turn, so that equal nodes take pods alternately. Thread-safe.
 */
public final class SchedulingAlgorithm {

    private long turn;

    /**
     * Decides where the pod goes.
     *
     * @param nodes every node of the cluster with its current usage, bound and assumed pods included
     */
    public synchronized Decision schedule(PodSpec spec, List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return new Decision.Unschedulable(FailureMessage.NO_NODES);
        }
        Resources request = PodRequests.of(spec);
        List<NodeInfo> feasible = new ArrayList<>();
        List<Verdict> failures = new ArrayList<>();
        for (NodeInfo n : nodes) {
            Verdict v = Filters.check(spec, request, n);
            if (v.fits()) {
                feasible.add(n);
            } else {
                failures.add(v);
            }
        }
        if (feasible.isEmpty()) {
            return new Decision.Unschedulable(FailureMessage.of(failures, spec.getPreemptionPolicy()));
        }
        Map<String, Long> scores = Scores.of(spec, PodRequests.nonZero(spec), feasible);
        long best = scores.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<NodeInfo> top = feasible.stream().filter(n -> scores.get(n.name()) == best).toList();
        int fewest = top.stream().mapToInt(NodeInfo::pods).min().orElseThrow();
        List<NodeInfo> ties = top.stream().filter(n -> n.pods() == fewest)
                .sorted(Comparator.comparing(NodeInfo::name)).toList();
        NodeInfo chosen = ties.get((int) Math.floorMod(turn++, (long) ties.size()));
        return new Decision.Bind(chosen.name());
    }
}

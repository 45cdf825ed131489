package io.kubevisor.controllers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * Decides whether a pod fits a node, running kube-scheduler's filters in its order and stopping at
 * the first that fails: NodeUnschedulable, TaintToleration, node readiness, NodeAffinity (node
 * selector and required affinity), NodeResourcesFit. Reasons are the texts kube-scheduler reports.
 * Stateless.
 */
public final class Filters {

    static final String UNSCHEDULABLE = "node(s) were unschedulable";
    /**
     * kube-scheduler leaves readiness to the node lifecycle controller's taints; we also check
     * the Ready condition itself (so a node is not used in the moments before it is tainted),
     * with the reason the scheduler's old node-condition predicate gave.
     */
    static final String NOT_READY = "node(s) were not ready";
    static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
    static final String TOO_MANY_PODS = "Too many pods";
    private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

    private Filters() {
    }

    /**
     * Whether the pod fits the node.
     *
     * @param request the pod's requests ({@link PodRequests#of})
     */
    public static Verdict check(PodSpec spec, Resources request, NodeInfo node) {
        if (node.cordoned() && !Tolerations.tolerated(spec.getTolerations(), UNSCHEDULABLE_TAINT)) {
            return Verdict.unresolvable(UNSCHEDULABLE);
        }
        List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
        Optional<Taint> untolerated = Tolerations.firstUntoleratedBlocking(taints, spec.getTolerations());
        if (untolerated.isPresent()) {
            return Verdict.unresolvable(untoleratedTaint(untolerated.get()));
        }
        if (!node.ready()) {
            return Verdict.unresolvable(NOT_READY);
        }
        if (!NodeAffinity.required(spec, node.node())) {
            return Verdict.unresolvable(AFFINITY);
        }
        List<String> insufficient = insufficient(request, node);
        return insufficient.isEmpty() ? Verdict.FITS : new Verdict(insufficient, true);
    }

    /** kube-scheduler's reason for a taint: {@code node(s) had untolerated taint {key: value}}. */
    static String untoleratedTaint(Taint t) {
        return "node(s) had untolerated taint {" + t.getKey() + ": " + (t.getValue() == null ? "" : t.getValue()) + "}";
    }

    /** NodeResourcesFit: every resource short on the node, in kube-scheduler's order. */
    static List<String> insufficient(Resources request, NodeInfo node) {
        List<String> out = new ArrayList<>();
        if (node.pods() + 1 > node.allowedPods()) {
            out.add(TOO_MANY_PODS);
        }
        if (request.isZero()) {
            return out;
        }
        Resources free = node.allocatable().minus(node.requested());
        if (request.milliCpu() > 0 && request.milliCpu() > free.milliCpu()) {
            out.add("Insufficient cpu");
        }
        if (request.memory() > 0 && request.memory() > free.memory()) {
            out.add("Insufficient memory");
        }
        if (request.ephemeralStorage() > 0 && request.ephemeralStorage() > free.ephemeralStorage()) {
            out.add("Insufficient ephemeral-storage");
        }
        for (Map.Entry<String, Long> e : request.scalars().entrySet()) {
            if (e.getValue() > free.scalar(e.getKey())) {
                out.add("Insufficient " + e.getKey());
            }
        }
        return out;
    }
}

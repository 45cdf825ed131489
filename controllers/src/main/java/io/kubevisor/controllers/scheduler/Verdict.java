package io.kubevisor.controllers.scheduler;

import java.util.List;

/**
 * Whether a pod fits a node, and if not why, in kube-scheduler's words.
 *
 * @param reasons    why the node cannot take the pod; empty when it can
 * @param resolvable whether removing pods from the node could make it fit (only resource
 *                   shortages are), which decides what the preemption part of the message says
 */
public record Verdict(List<String> reasons, boolean resolvable) {

    /** The pod fits. */
    public static final Verdict FITS = new Verdict(List.of(), true);

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    /** A failure that removing pods cannot fix. */
    static Verdict unresolvable(String reason) {
        return new Verdict(List.of(reason), false);
    }

    /** Whether the pod fits. */
    public boolean fits() {
        return reasons.isEmpty();
    }
}

package io.kubevisor.node.pods;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.node.provider.PodRef;

/**
 * What to do at start with the pods the provider already runs (it may have outlived the agent):
 * one still bound to this node with the same uid is adopted (kept, not re-created); one whose API
 * object is gone, bound elsewhere or recreated with another uid is an orphan to delete at once.
 * Bound pods the provider does not run need no plan: the sync creates them. Stateless.
 */
public final class Adoption {

    private Adoption() {
    }

    /**
     * @param adopt   running pods to keep, each with its API object
     * @param orphans running pods to delete with grace period 0
     */
    public record Plan(Map<PodRef, Pod> adopt, List<PodRef> orphans) {
    }

    /**
     * @param running what the provider runs
     * @param bound   the pods bound to this node in the API
     */
    public static Plan plan(List<PodRef> running, List<Pod> bound, String nodeName) {
        Map<PodKey, Pod> byKey = new HashMap<>();
        for (Pod p : bound) {
            if (p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName())) {
                byKey.put(PodKey.of(p), p);
            }
        }
        Map<PodRef, Pod> adopt = new HashMap<>();
        List<PodRef> orphans = new ArrayList<>();
        for (PodRef r : running) {
            Pod p = byKey.get(PodKey.of(r));
            if (p != null && r.uid() != null && r.uid().equals(p.getMetadata().getUid())) {
                adopt.put(r, p);
            } else {
                orphans.add(r);
            }
        }
        return new Plan(Map.copyOf(adopt), List.copyOf(orphans));
    }
}

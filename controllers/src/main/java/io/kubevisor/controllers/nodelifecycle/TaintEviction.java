package io.kubevisor.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubevisor.controllers.scheduler.Tolerations;

/**
 * Kubernetes' taint-based eviction rule for one pod on a node with NoExecute taints: a pod that
 * does not tolerate every such taint goes at once; one that does stays for the shortest
 * {@code tolerationSeconds} among the tolerations used (counted from when the taints were first
 * seen on its node), or for ever if none of them sets a limit. Stateless.
 */
public final class TaintEviction {

    /** What to do with a pod. */
    public sealed interface Plan {
        /** Leave it: no NoExecute taints, or tolerated without a time limit. */
        record Keep() implements Plan {
        }

        /** Delete it at (or, if past, since) {@code at}. */
        record EvictAt(Instant at) implements Plan {
        }
    }

    private TaintEviction() {
    }

    /**
     * @param taints the node's NoExecute taints
     * @param since  when this controller first saw the pod under NoExecute taints
     */
    public static Plan plan(List<Taint> taints, List<Toleration> tolerations, Instant since) {
        if (taints.isEmpty()) {
            return new Plan.Keep();
        }
        List<Toleration> used = new ArrayList<>();
        for (Taint taint : taints) {
            Toleration match = null;
            for (Toleration t : tolerations == null ? List.<Toleration>of() : tolerations) {
                if (Tolerations.tolerates(t, taint)) {
                    match = t;
                    break;
                }
            }
            if (match == null) {
                return new Plan.EvictAt(since);
            }
            used.add(match);
        }
        Long min = null;
        for (Toleration t : used) {
            if (t.getTolerationSeconds() != null) {
                long s = Math.max(0, t.getTolerationSeconds());
                min = min == null ? s : Math.min(min, s);
            }
        }
        return min == null ? new Plan.Keep() : new Plan.EvictAt(since.plus(Duration.ofSeconds(min)));
    }

    /** The NoExecute taints among {@code taints}. */
    public static List<Taint> noExecute(List<Taint> taints) {
        return taints == null ? List.of() : taints.stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
    }
}

package io.kubevisor.controllers.scheduler;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * What a pod asks of a node, computed as Kubernetes' resource helper does: the sum of the
 * containers' requests, raised to the largest init container's (regular init containers run one
 * at a time before the app containers, but after the sidecars started before them; sidecars —
 * init containers with {@code restartPolicy: Always} — keep running and so add up), replaced by
 * pod-level requests where those are set, plus the pod overhead. Stateless.
 */
public final class PodRequests {

    /**
     * What kube-scheduler assumes for scoring when a container requests no CPU or memory, so that
     * pods without requests still spread: 100m CPU and 200Mi memory.
     */
    static final Map<String, BigDecimal> NON_ZERO_DEFAULTS = Map.of("cpu", new BigDecimal("0.1"),
            "memory", BigDecimal.valueOf(200L * 1024 * 1024));

    private PodRequests() {
    }

    /** The pod's requests, what the node must have free for it to fit. */
    public static Resources of(PodSpec spec) {
        return Resources.fromAmounts(aggregate(spec, false));
    }

    /** The requests with kube-scheduler's non-zero defaults for missing CPU and memory, for scoring. */
    public static Resources nonZero(PodSpec spec) {
        return Resources.fromAmounts(aggregate(spec, true));
    }

    private static Map<String, BigDecimal> aggregate(PodSpec spec, boolean nonZero) {
        Map<String, BigDecimal> reqs = new TreeMap<>();
        for (Container c : list(spec.getContainers())) {
            add(reqs, requests(c, nonZero));
        }
        Map<String, BigDecimal> sidecars = new TreeMap<>();
        Map<String, BigDecimal> init = new TreeMap<>();
        for (Container c : list(spec.getInitContainers())) {
            Map<String, BigDecimal> own = requests(c, nonZero);
            Map<String, BigDecimal> whileRunning;
            if ("Always".equals(c.getRestartPolicy())) {
                add(reqs, own);
                add(sidecars, own);
                whileRunning = sidecars;
            } else {
                whileRunning = new TreeMap<>(own);
                add(whileRunning, sidecars);
            }
            max(init, whileRunning);
        }
        max(reqs, init);
        if (spec.getResources() != null && spec.getResources().getRequests() != null) {
            // Pod-level requests, where set, replace the containers' sum for CPU and memory.
            for (String r : List.of("cpu", "memory")) {
                Quantity q = spec.getResources().getRequests().get(r);
                if (q != null) {
                    reqs.put(r, Resources.amount(q));
                }
            }
        }
        add(reqs, Resources.amounts(spec.getOverhead()));
        return reqs;
    }

    private static Map<String, BigDecimal> requests(Container c, boolean nonZero) {
        Map<String, BigDecimal> r = Resources.amounts(c.getResources() == null ? null : c.getResources().getRequests());
        if (nonZero) {
            // Only a missing request gets the default; an explicit 0 stays 0.
            NON_ZERO_DEFAULTS.forEach(r::putIfAbsent);
        }
        return r;
    }

    private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
        more.forEach((k, v) -> into.merge(k, v, BigDecimal::add));
    }

    private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
        other.forEach((k, v) -> into.merge(k, v, BigDecimal::max));
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}

package io.kubevisor.apiserver.kinds.pod;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.JsonNode;

/**
 * A pod's quality-of-service class from its containers' cpu and memory requests and limits, as
 * Kubernetes' qos.GetPodQOS computes it: quantities compare by value, so {@code 1} equals
 * {@code 1000m} and {@code 1Gi} equals {@code 1024Mi}. Stateless.
 */
public final class QosClass {

    private static final Set<String> COMPUTE = Set.of("cpu", "memory");

    private QosClass() {
    }

    /** {@code Guaranteed}, {@code Burstable} or {@code BestEffort} for a (defaulted) pod spec. */
    public static String of(JsonNode spec) {
        Map<String, Quantity> requests = new HashMap<>();
        Map<String, Quantity> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : Nodes.elements(spec, list)) {
                JsonNode res = c.path("resources");
                sumPositive(res.get("requests"), requests);
                Set<String> limitsFound = sumPositive(res.get("limits"), limits);
                if (!limitsFound.containsAll(COMPUTE)) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, Quantity> e : requests.entrySet()) {
                Quantity limit = limits.get(e.getKey());
                if (limit == null || limit.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    /** Adds the positive cpu/memory quantities of {@code list} into {@code sums}; returns the names seen. */
    private static Set<String> sumPositive(JsonNode list, Map<String, Quantity> sums) {
        Set<String> found = new java.util.HashSet<>();
        for (Map.Entry<String, Quantity> e : ResourceLists.entries(list).entrySet()) {
            if (!COMPUTE.contains(e.getKey()) || e.getValue().signum() <= 0) {
                continue;
            }
            found.add(e.getKey());
            sums.merge(e.getKey(), e.getValue(), Quantity::add);
        }
        return found;
    }
}

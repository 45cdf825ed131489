package io.kubevisor.apiserver.kinds;

import tools.jackson.databind.JsonNode;

/** A pod's quality-of-service class, computed from its containers' requests and limits as in Kubernetes. */
final class QosClass {

    private QosClass() {
    }

    static String of(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                JsonNode req = c.path("resources").path("requests");
                JsonNode lim = c.path("resources").path("limits");
                for (String r : new String[] {"cpu", "memory"}) {
                    String rq = req.path(r).asString("");
                    String lm = lim.path(r).asString("");
                    if (!rq.isEmpty() || !lm.isEmpty()) {
                        any = true;
                    }
                    if (lm.isEmpty() || (!rq.isEmpty() && !rq.equals(lm))) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}

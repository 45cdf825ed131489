package io.kubevisor.apiserver.auth.rbac;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A {@code metav1.LabelSelector} (matchLabels and matchExpressions), as used by ClusterRole
 * aggregation rules. An empty selector matches everything; an unknown operator matches nothing.
 */
final class LabelSelector {

    private LabelSelector() {
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            JsonNode have = labels.get(e.getKey());
            if (have == null || !have.asString("").equals(e.getValue().asString(""))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asString("");
            List<String> values = expr.path("values").valueStream().map(v -> v.asString("")).toList();
            JsonNode have = labels.get(key);
            boolean ok = switch (expr.path("operator").asString("")) {
                case "In" -> have != null && values.contains(have.asString(""));
                case "NotIn" -> have == null || !values.contains(have.asString(""));
                case "Exists" -> have != null;
                case "DoesNotExist" -> have == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

package io.kubevisor.apiserver.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/** Structured label selectors ({@code matchLabels}, {@code matchExpressions}) and label maps. */
public final class Selectors {

    private Selectors() {
    }

    public static Map<String, String> labelsOf(JsonNode labels) {
        Map<String, String> out = new LinkedHashMap<>();
        if (labels != null && labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                out.put(e.getKey(), e.getValue().asString(""));
            }
        }
        return out;
    }

    /** A metav1.LabelSelector object as a {@link LabelSelector}. */
    public static LabelSelector fromLabelSelector(JsonNode selector) {
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        for (Map.Entry<String, String> e : labelsOf(selector.path("matchLabels")).entrySet()) {
            reqs.add(new LabelSelector.Requirement(e.getKey(), LabelSelector.Op.EQUALS, Set.of(e.getValue())));
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            Set<String> values = new TreeSet<>();
            for (JsonNode v : expr.path("values")) {
                values.add(v.asString(""));
            }
            LabelSelector.Op op = switch (expr.path("operator").asString("")) {
                case "In" -> LabelSelector.Op.IN;
                case "NotIn" -> LabelSelector.Op.NOT_IN;
                case "Exists" -> LabelSelector.Op.EXISTS;
                case "DoesNotExist" -> LabelSelector.Op.DOES_NOT_EXIST;
                default -> null;
            };
            if (op != null) {
                reqs.add(new LabelSelector.Requirement(expr.path("key").asString(""), op, values));
            }
        }
        return LabelSelector.of(reqs);
    }

    /** The selector in Kubernetes' string form ({@code app=web,tier in (a,b)}), as Scale.status.selector shows it. */
    public static String format(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(labelsOf(selector.path("matchLabels"))).entrySet()) {
            parts.add(e.getKey() + "=" + e.getValue());
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asString("");
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asString("")));
            java.util.Collections.sort(values);
            switch (expr.path("operator").asString("")) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> {
                }
            }
        }
        return String.join(",", parts);
    }
}

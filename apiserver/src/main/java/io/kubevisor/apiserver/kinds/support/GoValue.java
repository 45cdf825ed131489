package io.kubevisor.apiserver.kinds.support;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * A bad value rendered the way Go's {@code %#v} prints it in Kubernetes' field errors, e.g.
 * {@code map[string]string{"app":"web"}}. Users and tools match on these messages, so values
 * that Kubernetes reports as Go structs are reproduced here. Immutable.
 *
 * @param text the rendering, used verbatim by {@link io.kubevisor.api.FieldError#message()}
 */
public record GoValue(String text) {

    @Override
    public String toString() {
        return text;
    }

    /** {@code map[string]string{"a":"b", "c":"d"}} with sorted keys; nil for an absent map. */
    public static GoValue stringMap(JsonNode map) {
        return new GoValue(stringMapText(map));
    }

    /** {@code []string{"a", "b"}}; nil for an absent list. */
    public static GoValue stringSlice(List<String> values, boolean nil) {
        return new GoValue(nil ? "[]string(nil)" : "[]string{" + quotedList(values) + "}");
    }

    /** A metav1.LabelSelector as {@code v1.LabelSelector{MatchLabels:..., MatchExpressions:...}}. */
    public static GoValue labelSelector(JsonNode selector) {
        StringBuilder sb = new StringBuilder("v1.LabelSelector{MatchLabels:");
        sb.append(stringMapText(selector.get("matchLabels")));
        sb.append(", MatchExpressions:");
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs == null || !exprs.isArray() || exprs.isEmpty()) {
            sb.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            sb.append("[]v1.LabelSelectorRequirement{");
            boolean first = true;
            for (JsonNode e : exprs) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append("v1.LabelSelectorRequirement{Key:").append(quote(Nodes.text(e, "key")))
                        .append(", Operator:").append(quote(Nodes.text(e, "operator")))
                        .append(", Values:");
                List<String> values = Nodes.strings(e, "values");
                sb.append(values.isEmpty() ? "[]string(nil)" : "[]string{" + quotedList(values) + "}");
                sb.append('}');
            }
            sb.append('}');
        }
        return new GoValue(sb.append('}').toString());
    }

    /** An intstr.IntOrString: {@code intstr.IntOrString{Type:0, IntVal:1, StrVal:""}}. */
    public static GoValue intOrString(JsonNode v) {
        if (v != null && v.isString()) {
            return new GoValue("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quote(v.stringValue()) + "}");
        }
        long i = v == null || !v.isNumber() ? 0 : v.asLong();
        return new GoValue("intstr.IntOrString{Type:0, IntVal:" + i + ", StrVal:\"\"}");
    }

    /** A Go string literal as {@code %q} writes it. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String stringMapText(JsonNode map) {
        if (map == null || !map.isObject()) {
            return "map[string]string(nil)";
        }
        StringBuilder sb = new StringBuilder("map[string]string{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(Nodes.stringMap(map)).entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String quotedList(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(quote(values.get(i)));
        }
        return sb.toString();
    }
}

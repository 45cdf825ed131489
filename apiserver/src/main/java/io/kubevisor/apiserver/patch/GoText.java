package io.kubevisor.apiserver.patch;

import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * Renders decoded JSON values the way Go's {@code %v} prints {@code map[string]interface{}} and
 * {@code []interface{}}, so error messages read like kube-apiserver's.
 */
final class GoText {

    private GoText() {
    }

    static String of(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "<nil>";
        }
        if (n.isObject()) {
            return n.properties().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + ":" + of(e.getValue()))
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        if (n.isArray()) {
            return n.values().stream().map(GoText::of).collect(Collectors.joining(" ", "[", "]"));
        }
        if (n.isString()) {
            return n.asString();
        }
        return n.toString();
    }

    /** Go's type name of a decoded value, for "expected a X, but received a Y" messages. */
    static String typeName(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "%!s(<nil>)";
        }
        if (n.isObject()) {
            return "map[string]interface {}";
        }
        if (n.isArray()) {
            return "[]interface {}";
        }
        if (n.isString()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        return n.isIntegralNumber() ? "int64" : "float64";
    }

    /** The JSON kind Go's decoder names in "cannot unmarshal X into ..." messages. */
    static String jsonKind(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isNumber()) {
            return "number";
        }
        return n.isBoolean() ? "bool" : "string";
    }
}

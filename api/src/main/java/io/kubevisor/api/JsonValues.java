package io.kubevisor.api;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Value semantics for JSON trees as Kubernetes' Go code sees them after decoding: numbers compare by
 * value (80 equals 80.0), objects compare without regard to key order. Stateless and thread-safe.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** Whether two values are equal the way decoded Go values are; null and a JSON null are equal. */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (isNull(a) || isNull(b)) {
            return isNull(a) && isNull(b);
        }
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<JsonNode> ia = a.values().iterator();
            Iterator<JsonNode> ib = b.values().iterator();
            while (ia.hasNext()) {
                if (!equal(ia.next(), ib.next())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** True for a Java null, a missing node and a JSON null. */
    public static boolean isNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /** A canonical text of a value, usable as a hash key consistent with {@link #equal}. */
    public static String canonical(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        canonical(n, sb);
        return sb.toString();
    }

    private static void canonical(JsonNode n, StringBuilder sb) {
        if (isNull(n)) {
            sb.append("null");
        } else if (n.isNumber()) {
            BigDecimal d = decimal(n).stripTrailingZeros();
            sb.append('#').append(d.signum() == 0 ? "0" : d.toPlainString());
        } else if (n.isObject()) {
            sb.append('{');
            n.properties().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                sb.append(quote(e.getKey())).append(':');
                canonical(e.getValue(), sb);
                sb.append(',');
            });
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (JsonNode c : n.values()) {
                canonical(c, sb);
                sb.append(',');
            }
            sb.append(']');
        } else if (n.isString()) {
            sb.append(quote(n.asString()));
        } else {
            sb.append(n.toString());
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The numeric value of a number node. */
    public static BigDecimal decimal(JsonNode n) {
        return n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : n.decimalValue();
    }

    /** Removes object fields whose value is null, recursively (arrays keep their null elements). */
    public static void dropNullFields(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.properties().removeIf(e -> e.getValue().isNull());
            for (JsonNode c : o.values()) {
                dropNullFields(c);
            }
        } else if (n instanceof ArrayNode a) {
            for (JsonNode c : a.values()) {
                dropNullFields(c);
            }
        }
    }
}

package io.kubevisor.apiserver.kinds.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Small helpers for reading and editing the JSON trees strategies work on. Kubernetes objects are
 * Go structs in JSON form, so "unset" is absent, null, or (for Go non-pointer fields) a zero value;
 * these helpers make those cases easy to treat alike. Stateless.
 */
public final class Nodes {

    private Nodes() {
    }

    /** The child object, created when missing or not an object. */
    public static ObjectNode object(ObjectNode parent, String field) {
        if (parent.get(field) instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    /** The child object, or null when absent or not an object. */
    public static ObjectNode objectOrNull(JsonNode parent, String field) {
        return parent != null && parent.get(field) instanceof ObjectNode o ? o : null;
    }

    /** The objects of an array field (non-objects are skipped); empty when absent. */
    public static List<ObjectNode> objects(JsonNode parent, String field) {
        List<ObjectNode> out = new ArrayList<>();
        if (parent != null && parent.get(field) instanceof ArrayNode arr) {
            for (JsonNode n : arr) {
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** The elements of an array field, or an empty list. */
    public static List<JsonNode> elements(JsonNode parent, String field) {
        List<JsonNode> out = new ArrayList<>();
        if (parent != null && parent.get(field) instanceof ArrayNode arr) {
            arr.forEach(out::add);
        }
        return out;
    }

    /** A string field's value; "" when absent, null or not a scalar. */
    public static String text(JsonNode parent, String field) {
        if (parent == null) {
            return "";
        }
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return "";
        }
        return v.asString("");
    }

    /** Whether the field is present and not null. */
    public static boolean has(JsonNode parent, String field) {
        return parent != null && parent.hasNonNull(field);
    }

    /** Whether the field holds a non-empty array. */
    public static boolean hasItems(JsonNode parent, String field) {
        return parent != null && parent.get(field) instanceof ArrayNode a && !a.isEmpty();
    }

    /** Whether the field holds a non-empty object. */
    public static boolean hasEntries(JsonNode parent, String field) {
        return parent != null && parent.get(field) instanceof ObjectNode o && !o.isEmpty();
    }

    /** A number field, or {@code dflt} when absent or not a number. */
    public static long number(JsonNode parent, String field, long dflt) {
        JsonNode v = parent == null ? null : parent.get(field);
        return v != null && v.isNumber() ? v.asLong() : dflt;
    }

    /** Whether a boolean field is true (absent, null and false are all false). */
    public static boolean isTrue(JsonNode parent, String field) {
        JsonNode v = parent == null ? null : parent.get(field);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    /** Sets a string field when absent, null or "" (Go's zero string means unset). */
    public static void defaultText(ObjectNode o, String field, String value) {
        if (text(o, field).isEmpty() && !(o.get(field) != null && o.get(field).isContainer())) {
            o.put(field, value);
        }
    }

    /** Sets a number field when absent or null (a pointer field in Go). */
    public static void defaultNumber(ObjectNode o, String field, long value) {
        if (!o.hasNonNull(field)) {
            putNumber(o, field, value);
        }
    }

    /** Writes a number as the smallest JSON integer node that holds it, as a parser would. */
    public static void putNumber(ObjectNode o, String field, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            o.put(field, (int) value);
        } else {
            o.put(field, value);
        }
    }

    /** Sets a number field when absent, null or 0 (a non-pointer field in Go, whose zero means unset). */
    public static void defaultNonZero(ObjectNode o, String field, long value) {
        if (!o.hasNonNull(field) || (o.get(field).isNumber() && o.get(field).asLong() == 0)) {
            putNumber(o, field, value);
        }
    }

    /** Sets a boolean field when absent or null (a pointer field in Go). */
    public static void defaultBoolean(ObjectNode o, String field, boolean value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }

    /**
     * Removes fields whose value Go would omit from JSON: null, false, 0 or "". Used for Go
     * non-pointer {@code omitempty} fields that protobuf-decoded bodies carry with zero values.
     */
    public static void dropZero(ObjectNode o, String... fields) {
        for (String f : fields) {
            JsonNode v = o.get(f);
            if (v == null) {
                continue;
            }
            boolean zero = v.isNull()
                    || v.isBoolean() && !v.booleanValue()
                    || v.isNumber() && v.decimalValue().signum() == 0
                    || v.isString() && v.stringValue().isEmpty();
            if (zero) {
                o.remove(f);
            }
        }
    }

    /** Removes fields that are null, or empty arrays or objects (Go omits empty slices and maps). */
    public static void dropEmpty(ObjectNode o, String... fields) {
        for (String f : fields) {
            JsonNode v = o.get(f);
            if (v != null && (v.isNull() || v.isContainer() && v.isEmpty())) {
                o.remove(f);
            }
        }
    }

    /** A map of strings ({@code labels}, {@code selector}); empty when absent. Keeps order. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString(""));
            }
        }
        return out;
    }

    /** The strings of an array field; non-strings as their text. */
    public static List<String> strings(JsonNode parent, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : elements(parent, field)) {
            out.add(n.isNull() ? "" : n.asString(""));
        }
        return out;
    }

    /** A JSON null, for fields Go writes as null (zero timestamps in templates). */
    public static JsonNode nullNode() {
        return JsonNodeFactory.instance.nullNode();
    }

    /** Deep equality where absent, null, empty object and empty array count as the same. */
    public static boolean semanticEquals(JsonNode a, JsonNode b) {
        return normalize(a).equals(normalize(b));
    }

    private static JsonNode normalize(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull() || n.isContainer() && n.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (n instanceof ObjectNode o) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode v = normalize(e.getValue());
                if (!v.isNull()) {
                    out.set(e.getKey(), v);
                }
            }
            return out.isEmpty() ? JsonNodeFactory.instance.nullNode() : out;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            a.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return n;
    }
}

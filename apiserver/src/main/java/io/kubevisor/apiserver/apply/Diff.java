package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.schema.FieldSchema;

import tools.jackson.databind.JsonNode;

/**
 * Which fields differ between two versions of an object (structured-merge-diff's
 * {@code Compare}): leaves by value, granular structs, maps and lists item by item; a granular
 * value that appears or disappears as a whole is added or removed itself too.
 */
final class Diff {

    /** Fields only in the new value, only in the old one, and in both with different values. */
    record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {

        FieldSet changed() {
            return added.union(modified);
        }
    }

    private final Comparison cmp = new Comparison(FieldSet.empty(), FieldSet.empty(), FieldSet.empty());

    private Diff() {
    }

    /**
     * Compares {@code lhs} (old, may be null) with {@code rhs} (new, may be null).
     *
     * @throws SchemaViolation when list items cannot be identified
     */
    static Comparison compare(JsonNode lhs, JsonNode rhs, FieldSchema schema) {
        Diff d = new Diff();
        d.walk(new ArrayList<>(), lhs, rhs, schema);
        return d.cmp;
    }

    private void walk(List<PathElement> path, JsonNode lhs, JsonNode rhs, FieldSchema schema) {
        Shape shape = Shape.of(schema, lhs, rhs);
        boolean leaf = switch (shape) {
            case LEAF -> true;
            case STRUCT, MAP -> bothEmpty(lhs, rhs, false);
            case SET, KEYED_LIST -> bothEmpty(lhs, rhs, true);
        };
        if (leaf) {
            if (lhs == null) {
                cmp.added().insert(path);
            } else if (rhs == null) {
                cmp.removed().insert(path);
            } else if (!JsonValues.equal(lhs, rhs)) {
                cmp.modified().insert(path);
            }
            return;
        }
        if (shape == Shape.STRUCT || shape == Shape.MAP) {
            Set<String> keys = new LinkedHashSet<>();
            if (lhs != null && lhs.isObject()) {
                keys.addAll(lhs.propertyNames());
            }
            if (rhs != null && rhs.isObject()) {
                keys.addAll(rhs.propertyNames());
            }
            for (String k : keys) {
                path.add(new PathElement.Field(k));
                walk(path, child(lhs, k), child(rhs, k), Shape.member(schema, k));
                path.removeLast();
            }
        } else {
            walkItems(path, lhs, rhs, schema, shape);
        }
        if (lhs == null) {
            cmp.added().insert(path);
        } else if (rhs == null) {
            cmp.removed().insert(path);
        }
    }

    private static JsonNode child(JsonNode parent, String key) {
        return parent != null && parent.isObject() ? parent.get(key) : null;
    }

    private static boolean bothEmpty(JsonNode lhs, JsonNode rhs, boolean list) {
        return emptyOrNull(lhs, list) && emptyOrNull(rhs, list);
    }

    private static boolean emptyOrNull(JsonNode v, boolean list) {
        return JsonValues.isNull(v) || (list ? v.isArray() : v.isObject()) && v.isEmpty();
    }

    private void walkItems(List<PathElement> path, JsonNode lhs, JsonNode rhs, FieldSchema schema, Shape shape) {
        Map<PathElement, List<JsonNode>> left = index(path, lhs, schema, shape);
        Map<PathElement, List<JsonNode>> right = index(path, rhs, schema, shape);
        Set<PathElement> all = new LinkedHashSet<>(left.keySet());
        all.addAll(right.keySet());
        FieldSchema elements = Shape.elements(schema);
        for (PathElement pe : all) {
            List<JsonNode> l = left.getOrDefault(pe, List.of());
            List<JsonNode> r = right.getOrDefault(pe, List.of());
            path.add(pe);
            if (l.size() <= 1 && r.size() <= 1) {
                walk(path, l.isEmpty() ? null : l.getFirst(), r.isEmpty() ? null : r.getFirst(), elements);
            } else if (l.size() >= 2 && r.size() >= 2) {
                if (!sameItems(l, r)) {
                    cmp.modified().insert(path);
                }
            } else if (l.size() >= 2) {
                if (!r.isEmpty()) {
                    walk(path, null, r.getFirst(), elements);
                }
                cmp.removed().insert(path);
            } else {
                if (!l.isEmpty()) {
                    walk(path, l.getFirst(), null, elements);
                }
                cmp.added().insert(path);
            }
            path.removeLast();
        }
    }

    private static boolean sameItems(List<JsonNode> a, List<JsonNode> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!JsonValues.equal(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Items by path element, duplicates kept together in list order. */
    private static Map<PathElement, List<JsonNode>> index(List<PathElement> path, JsonNode list, FieldSchema schema,
                                                           Shape shape) {
        Map<PathElement, List<JsonNode>> out = new LinkedHashMap<>();
        if (list == null || !list.isArray()) {
            return out;
        }
        int i = 0;
        for (JsonNode item : list.values()) {
            PathElement pe;
            try {
                pe = Shape.itemElement(schema, shape, item);
            } catch (SchemaViolation e) {
                throw e.at(PathElement.toString(path) + ": element " + i);
            }
            out.computeIfAbsent(pe, k -> new ArrayList<>()).add(item);
            i++;
        }
        return out;
    }
}

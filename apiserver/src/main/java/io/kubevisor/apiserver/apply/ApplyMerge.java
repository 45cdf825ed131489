package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.schema.FieldSchema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an applied configuration into the live object (structured-merge-diff's {@code Merge}
 * with "keep the right-hand side"): leaves and atomic values come from the configuration,
 * granular structs and maps merge member by member, sets and keyed lists merge item by item in
 * an order that keeps the configuration's order for its items and the live order otherwise.
 * A configured null removes the field. Inputs are not modified.
 */
final class ApplyMerge {

    private ApplyMerge() {
    }

    /**
     * @param lhs    the live value (may be null)
     * @param rhs    the configured value (may be null)
     * @return the merged value, or null when nothing remains
     * @throws SchemaViolation when list items cannot be identified
     */
    static JsonNode merge(JsonNode lhs, JsonNode rhs, FieldSchema schema) {
        return merge(new ArrayList<>(), lhs, rhs, schema);
    }

    private static JsonNode merge(List<PathElement> path, JsonNode lhs, JsonNode rhs, FieldSchema schema) {
        Shape shape = Shape.of(schema, lhs, rhs);
        boolean leaf = switch (shape) {
            case LEAF -> true;
            case STRUCT, MAP -> empty(lhs, false) && empty(rhs, false);
            case SET, KEYED_LIST -> empty(lhs, true) && empty(rhs, true);
        };
        if (leaf) {
            if (rhs != null) {
                return rhs.isNull() ? null : rhs.deepCopy();
            }
            return lhs.deepCopy();
        }
        if (shape == Shape.STRUCT || shape == Shape.MAP) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Set<String> keys = new LinkedHashSet<>();
            if (lhs != null && lhs.isObject()) {
                keys.addAll(lhs.propertyNames());
            }
            if (rhs != null && rhs.isObject()) {
                keys.addAll(rhs.propertyNames());
            }
            for (String k : keys) {
                path.add(new PathElement.Field(k));
                JsonNode v = merge(path, child(lhs, k), child(rhs, k), Shape.member(schema, k));
                path.removeLast();
                if (v != null) {
                    out.set(k, v);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return mergeItems(path, lhs, rhs, schema, shape);
    }

    private static JsonNode child(JsonNode parent, String key) {
        return parent != null && parent.isObject() ? parent.get(key) : null;
    }

    private static boolean empty(JsonNode v, boolean list) {
        return v == null || v.isNull() || (list ? v.isArray() : v.isObject()) && v.isEmpty();
    }

    private record Indexed(List<PathElement> order, Map<PathElement, JsonNode> byElement) {
    }

    private static Indexed index(List<PathElement> path, JsonNode list, FieldSchema schema, Shape shape,
                                 boolean allowDuplicates) {
        List<PathElement> order = new ArrayList<>();
        Map<PathElement, JsonNode> by = new HashMap<>();
        if (list == null || !list.isArray()) {
            return new Indexed(order, by);
        }
        int i = 0;
        for (JsonNode item : list.values()) {
            PathElement pe;
            try {
                pe = Shape.itemElement(schema, shape, item);
            } catch (SchemaViolation e) {
                throw e.at(PathElement.toString(path) + ": element " + i);
            }
            i++;
            if (by.containsKey(pe)) {
                if (!allowDuplicates) {
                    throw new SchemaViolation(PathElement.toString(path) + ": duplicate entries for key " + pe);
                }
                // Duplicated live items are not merged with the configuration.
                by.put(pe, JsonNodeFactory.instance.nullNode());
            } else {
                by.put(pe, item);
            }
            order.add(pe);
        }
        return new Indexed(order, by);
    }

    private static JsonNode mergeItems(List<PathElement> path, JsonNode lhs, JsonNode rhs, FieldSchema schema,
                                       Shape shape) {
        Indexed right = index(path, rhs, schema, shape, false);
        Indexed left = index(path, lhs, schema, shape, true);
        FieldSchema elements = Shape.elements(schema);
        List<PathElement> shared = new ArrayList<>();
        for (PathElement pe : right.order()) {
            if (left.byElement().containsKey(pe)) {
                shared.add(pe);
            }
        }
        int sharedAt = 0;
        PathElement nextShared = shared.isEmpty() ? null : shared.get(sharedAt++);
        Set<PathElement> mergedRight = new HashSet<>();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        List<PathElement> lo = left.order();
        List<PathElement> ro = right.order();
        int li = 0;
        int ri = 0;
        while (li < lo.size() || ri < ro.size()) {
            if (li < lo.size() && ri < ro.size()) {
                PathElement pe = lo.get(li);
                if (pe.equals(ro.get(ri))) {
                    mergedRight.add(pe);
                    add(out, path, pe, left.byElement().get(pe), right.byElement().get(pe), elements);
                    li++;
                    ri++;
                    nextShared = sharedAt < shared.size() ? shared.get(sharedAt++) : null;
                    continue;
                }
                if (right.byElement().containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
                    // A shared item, but not the one the configuration wants next: it comes later.
                    li++;
                    continue;
                }
            }
            if (li < lo.size()) {
                PathElement pe = lo.get(li);
                if (!right.byElement().containsKey(pe)) {
                    add(out, path, pe, lhs.get(li), null, elements);
                    li++;
                    continue;
                } else if (mergedRight.contains(pe)) {
                    li++;
                }
            }
            if (ri < ro.size()) {
                PathElement pe = ro.get(ri);
                mergedRight.add(pe);
                add(out, path, pe, left.byElement().get(pe), right.byElement().get(pe), elements);
                ri++;
                if (nextShared != null && nextShared.equals(pe)) {
                    nextShared = sharedAt < shared.size() ? shared.get(sharedAt++) : null;
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static void add(ArrayNode out, List<PathElement> path, PathElement pe, JsonNode l, JsonNode r,
                            FieldSchema elements) {
        path.add(pe);
        JsonNode v = merge(path, l, r, elements);
        path.removeLast();
        if (v != null) {
            out.add(v);
        } else if (!JsonValues.isNull(r) || !JsonValues.isNull(l)) {
            out.add(JsonNodeFactory.instance.objectNode());
        }
    }
}

package io.kubevisor.apiserver.patch;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.apiserver.patch.StrategicMergePatch.FieldMeta;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * List handling of strategic merge patch: merging by key or as a union, the list directives, and
 * the resulting element order. The order rule (Kubernetes' "preserve order" design): items named
 * by the patch (or by {@code $setElementOrder}) keep the patch's relative order, items only on
 * the server keep theirs, and the two are interleaved using the server's order where both are
 * known.
 */
final class SmpLists {

    private SmpLists() {
    }

    /** The Go kinds decoded list elements can have; lists mixing kinds cannot be merged. */
    private enum Kind { MAP, LIST, STRING, INT, FLOAT, BOOL, NULL }

    static ArrayNode mergeSliceHandler(ArrayNode original, ArrayNode patch, FieldMeta meta, boolean deleteList) {
        if (meta.strategy().equals("merge") || deleteList) {
            return mergeSlice(original, patch, meta.elements(), meta.mergeKey(), deleteList);
        }
        return (ArrayNode) StrategicMergePatch.clean(patch);
    }

    private static ArrayNode mergeSlice(ArrayNode originalList, ArrayNode patchList, FieldSchema elements,
                                       String mergeKey, boolean deleteList) {
        if (originalList.isEmpty() && patchList.isEmpty()) {
            return originalList;
        }
        List<JsonNode> original = items(originalList);
        List<JsonNode> patch = items(patchList);
        Kind kind = elementKind(original, patch);
        List<JsonNode> merged;
        if (kind != Kind.MAP) {
            if (deleteList) {
                Set<String> gone = new HashSet<>();
                patch.forEach(v -> gone.add(JsonValues.canonical(v)));
                return toArray(original.stream().filter(v -> !gone.contains(JsonValues.canonical(v))).toList());
            }
            Map<String, JsonNode> union = new LinkedHashMap<>();
            for (JsonNode v : original) {
                union.putIfAbsent(JsonValues.canonical(v), v);
            }
            for (JsonNode v : patch) {
                union.putIfAbsent(JsonValues.canonical(v), v.deepCopy());
            }
            merged = new ArrayList<>(union.values());
            mergeKey = "";
        } else {
            if (mergeKey.isEmpty()) {
                throw SmpFailure.internal("cannot merge lists without merge key for "
                        + (elements == null ? "" : elements.definition().orElse("")));
            }
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode v : patch) {
                JsonNode directive = v.get(StrategicMergePatch.PATCH);
                if (directive == null) {
                    plain.add(v);
                    continue;
                }
                String d = directive.isString() ? directive.asString() : directive.toString();
                switch (d) {
                    case "delete" -> {
                        JsonNode keyValue = v.get(mergeKey);
                        if (keyValue == null) {
                            throw SmpFailure.noMergeKey(GoText.of(v), mergeKey);
                        }
                        String mk = mergeKey;
                        original.removeIf(o -> o.isObject() && JsonValues.equal(o.get(mk), keyValue));
                    }
                    case "replace" -> replace = true;
                    case "merge" -> throw SmpFailure.internal("merging lists cannot yet be specified in the patch");
                    default -> throw SmpFailure.internal("unknown patch type: " + d + " in map: " + GoText.of(v));
                }
            }
            if (replace) {
                original = new ArrayList<>();
                for (JsonNode v : plain) {
                    JsonNode c = StrategicMergePatch.clean(v);
                    if (c != null) {
                        original.add(c);
                    }
                }
                patch = List.of();
            } else {
                patch = plain;
            }
            merged = mergeByKey(original, patch, mergeKey, elements);
        }
        List<List<JsonNode>> split = partition(merged, patch, mergeKey);
        return toArray(normalizeElementOrder(split.get(0), split.get(1), patch, original, mergeKey, kind));
    }

    /** Merges each patch item into the original item with the same key, or appends it. */
    private static List<JsonNode> mergeByKey(List<JsonNode> original, List<JsonNode> patch, String mergeKey,
                                             FieldSchema elements) {
        List<JsonNode> out = new ArrayList<>(original);
        for (JsonNode v : patch) {
            JsonNode keyValue = v.get(mergeKey);
            if (keyValue == null) {
                throw SmpFailure.noMergeKey(GoText.of(v), mergeKey);
            }
            int found = -1;
            for (int i = 0; i < out.size(); i++) {
                JsonNode o = out.get(i);
                if (!o.isObject()) {
                    throw SmpFailure.internal("value for key " + i + " is not a map");
                }
                if (o.has(mergeKey) && JsonValues.equal(o.get(mergeKey), keyValue)) {
                    found = i;
                    break;
                }
            }
            if (found >= 0) {
                out.set(found, StrategicMergePatch.mergeMap((ObjectNode) out.get(found), (ObjectNode) v.deepCopy(), elements));
            } else {
                JsonNode c = StrategicMergePatch.clean(v);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * Processes every {@code $setElementOrder/<field>} of {@code patch}: merges the field's list
     * now and orders it by the directive, then removes both keys from the patch.
     */
    static void applySetElementOrder(ObjectNode original, ObjectNode patch, FieldSchema schema) {
        for (Map.Entry<String, JsonNode> entry : new ArrayList<>(patch.properties())) {
            String key = entry.getKey();
            if (!key.startsWith(StrategicMergePatch.SET_ELEMENT_ORDER)) {
                continue;
            }
            patch.remove(key);
            JsonNode order = entry.getValue();
            if (!order.isArray()) {
                throw SmpFailure.internal("expected a []interface {}, but received a " + GoText.typeName(order));
            }
            String field = StrategicMergePatch.directiveTarget(key, StrategicMergePatch.SET_ELEMENT_ORDER);
            JsonNode originalList = original.get(field);
            JsonNode patchList = patch.get(field);
            for (JsonNode l : new JsonNode[] {originalList, patchList}) {
                if (l != null && !l.isArray()) {
                    throw SmpFailure.internal("expected a []interface {}, but received a " + GoText.typeName(l));
                }
            }
            FieldMeta meta = FieldMeta.of(schema, field);
            String mergeKey = meta.mergeKey();
            validateOrder(patchList, order, mergeKey);
            ArrayNode merged;
            if (originalList != null && patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (originalList == null && patchList != null) {
                merged = (ArrayNode) StrategicMergePatch.clean(patchList);
            } else if (originalList != null) {
                merged = mergeSliceHandler((ArrayNode) originalList, (ArrayNode) patchList, meta, false);
            } else {
                continue;
            }
            List<JsonNode> serverOrder = originalList == null ? List.of() : items((ArrayNode) originalList);
            Kind kind = elementKind(serverOrder, patchList == null ? List.of() : items((ArrayNode) patchList));
            List<JsonNode> orderItems = items((ArrayNode) order);
            List<List<JsonNode>> split = partition(items(merged), orderItems, mergeKey);
            original.set(field, toArray(normalizeElementOrder(split.get(0), split.get(1), orderItems, serverOrder,
                    mergeKey, kind)));
            patch.remove(field);
        }
    }

    /** The patch list must name its items in the relative order of {@code $setElementOrder}. */
    private static void validateOrder(JsonNode patchList, JsonNode order, String mergeKey) {
        if (patchList == null || patchList.isEmpty() || order.isEmpty()) {
            return;
        }
        List<JsonNode> nonDelete = new ArrayList<>();
        for (JsonNode v : patchList.values()) {
            if (!mergeKey.isEmpty()) {
                if (!v.isObject()) {
                    throw SmpFailure.internal("expected a map[string]interface {}, but received a " + GoText.typeName(v));
                }
                JsonNode d = v.get(StrategicMergePatch.PATCH);
                if (d != null && d.isString() && d.asString().equals("delete")) {
                    continue;
                }
            }
            nonDelete.add(v);
        }
        List<JsonNode> orderItems = items((ArrayNode) order);
        int p = 0;
        int o = 0;
        while (p < nonDelete.size() && o < orderItems.size()) {
            JsonNode item = nonDelete.get(p);
            if (item.isObject() && item.has(StrategicMergePatch.PATCH)) {
                p++;
                continue;
            }
            if (sameKey(item, orderItems.get(o), mergeKey)) {
                p++;
            }
            o++;
        }
        if (p < nonDelete.size()) {
            throw SmpFailure.internal("The order in patch list:\n" + GoText.of(patchList) + "\n doesn't match "
                    + StrategicMergePatch.SET_ELEMENT_ORDER + " list:\n" + GoText.of(order) + "\n");
        }
    }

    private static boolean sameKey(JsonNode a, JsonNode b, String mergeKey) {
        if (mergeKey.isEmpty()) {
            return JsonValues.equal(a, b);
        }
        for (JsonNode n : new JsonNode[] {a, b}) {
            if (!n.isObject()) {
                throw SmpFailure.internal("expected a map[string]interface {}, but received a " + GoText.typeName(n));
            }
            if (!n.has(mergeKey)) {
                throw SmpFailure.noMergeKey(GoText.of(n), mergeKey);
            }
        }
        return JsonValues.equal(a.get(mergeKey), b.get(mergeKey));
    }

    /** Splits {@code merged} into [items present in {@code by}, items only on the server]. */
    private static List<List<JsonNode>> partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey) {
        List<JsonNode> inPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode v : merged) {
            boolean found;
            if (mergeKey.isEmpty()) {
                found = by.stream().anyMatch(b -> JsonValues.equal(b, v));
            } else {
                if (!v.isObject()) {
                    throw SmpFailure.internal("expected a map[string]interface {}, but received a " + GoText.typeName(v));
                }
                JsonNode key = v.get(mergeKey);
                if (key == null) {
                    throw SmpFailure.noMergeKey(GoText.of(v), mergeKey);
                }
                found = by.stream().anyMatch(b -> b.isObject() && b.has(mergeKey) && JsonValues.equal(b.get(mergeKey), key));
            }
            (found ? inPatch : serverOnly).add(v);
        }
        return List.of(inPatch, serverOnly);
    }

    private static List<JsonNode> normalizeElementOrder(List<JsonNode> patchItems, List<JsonNode> serverOnly,
                                                        List<JsonNode> patchOrder, List<JsonNode> serverOrder,
                                                        String mergeKey, Kind kind) {
        List<JsonNode> p = sortByOrder(patchItems, patchOrder, mergeKey, kind);
        List<JsonNode> s = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
        return interleave(s, p, serverOrder, mergeKey, kind);
    }

    /** Stable sort by position in {@code order}; {@code $patch: delete} items and unknown ones go last. */
    private static List<JsonNode> sortByOrder(List<JsonNode> toSort, List<JsonNode> order, String mergeKey, Kind kind) {
        List<JsonNode> keep = new ArrayList<>();
        List<JsonNode> deletes = new ArrayList<>();
        for (JsonNode v : toSort) {
            if (kind == Kind.MAP) {
                if (!v.isObject()) {
                    throw SmpFailure.internal("expected a map[string]interface {}, but received a " + GoText.typeName(v));
                }
                if (!v.has(mergeKey)) {
                    throw SmpFailure.noMergeKey(GoText.of(v), mergeKey);
                }
                JsonNode d = v.get(StrategicMergePatch.PATCH);
                if (d != null && d.isString() && d.asString().equals("delete")) {
                    deletes.add(v);
                    continue;
                }
            }
            keep.add(v);
        }
        keep.sort(Comparator.comparingInt(v -> {
            int i = indexOf(order, v, mergeKey, kind);
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        keep.addAll(deletes);
        return keep;
    }

    /**
     * Inserts server-only items ({@code left}) among patch items ({@code right}): a server item
     * goes first only when both are known to the server and it precedes in the server's order.
     */
    private static List<JsonNode> interleave(List<JsonNode> left, List<JsonNode> right, List<JsonNode> serverOrder,
                                             String mergeKey, Kind kind) {
        List<JsonNode> out = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (i >= left.size()) {
                out.add(right.get(j++));
            } else if (j >= right.size()) {
                out.add(left.get(i++));
            } else {
                int li = indexOf(serverOrder, left.get(i), mergeKey, kind);
                int ri = indexOf(serverOrder, right.get(j), mergeKey, kind);
                if (li >= 0 && ri >= 0 && li < ri) {
                    out.add(left.get(i++));
                } else {
                    out.add(right.get(j++));
                }
            }
        }
        return out;
    }

    private static int indexOf(List<JsonNode> list, JsonNode item, String mergeKey, Kind kind) {
        JsonNode wanted = kind == Kind.MAP ? item.get(mergeKey) : item;
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = kind == Kind.MAP ? list.get(i).get(mergeKey) : list.get(i);
            if (JsonValues.equal(wanted, v)) {
                return i;
            }
        }
        return -1;
    }

    private static Kind elementKind(List<JsonNode> a, List<JsonNode> b) {
        Kind kind = null;
        for (List<JsonNode> l : List.of(a, b)) {
            for (JsonNode v : l) {
                Kind k = kindOf(v);
                if (kind == null) {
                    if (k == Kind.LIST) {
                        throw SmpFailure.noListOfLists();
                    }
                    kind = k;
                } else if (kind != k) {
                    throw SmpFailure.internal("list element types are not identical: [" + GoText.of(toArray(a)) + " "
                            + GoText.of(toArray(b)) + "]");
                }
            }
        }
        if (kind == null) {
            throw SmpFailure.internal("no elements in any of the given slices");
        }
        return kind;
    }

    private static Kind kindOf(JsonNode v) {
        if (v.isObject()) {
            return Kind.MAP;
        }
        if (v.isArray()) {
            return Kind.LIST;
        }
        if (v.isString()) {
            return Kind.STRING;
        }
        if (v.isBoolean()) {
            return Kind.BOOL;
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? Kind.INT : Kind.FLOAT;
        }
        return Kind.NULL;
    }

    private static List<JsonNode> items(ArrayNode a) {
        return new ArrayList<>(a.valueStream().toList());
    }

    private static ArrayNode toArray(List<JsonNode> l) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        l.forEach(a::add);
        return a;
    }
}

package io.kubevisor.apiserver.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes strategic merge patch, applied the way kube-apiserver applies it to a built-in
 * object (apimachinery's strategicpatch with {@code MergeParallelList} and
 * {@code IgnoreUnmatchedNulls}):
 * <ul>
 * <li>objects merge recursively, {@code null} deletes, scalars replace;</li>
 * <li>a list whose field has {@code patchStrategy: merge} merges: objects by their merge key,
 * primitives as a union; any other list is replaced;</li>
 * <li>directives: {@code $patch: replace|delete} on objects, {@code $patch: replace} and
 * {@code {key: v, $patch: delete}} inside merged lists, {@code $retainKeys},
 * {@code $setElementOrder/<field>} and {@code $deleteFromPrimitiveList/<field>};</li>
 * <li>fields the schema does not describe (unknown fields, {@code ANY}) get merge-patch
 * semantics: objects merge, lists replace.</li>
 * </ul>
 * Values taken whole from the patch lose their null members and directives, as a typed round
 * trip would. Stateless and thread-safe; never mutates its arguments.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";

    private StrategicMergePatch() {
    }

    /**
     * Applies {@code patch} to a copy of {@code original}.
     *
     * @param original the current object (null is treated as {@code {}})
     * @param patch    the patch, a JSON object; anything else is a 400
     * @param schema   the object's schema, or null when unknown (merge-patch semantics throughout)
     * @return the patched object, owned by the caller
     * @throws ApiException 400 for malformed directives, 422 for lists of lists and retainKeys
     *                      mismatches, 500 for other inconsistencies, as kube-apiserver answers
     */
    public static ObjectNode apply(JsonNode original, JsonNode patch, FieldSchema schema) {
        if (!(patch instanceof ObjectNode p)) {
            throw new ApiException.BadRequest("json: cannot unmarshal " + GoText.jsonKind(patch)
                    + " into Go value of type map[string]interface {}");
        }
        ObjectNode base = original instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        try {
            return mergeMap(base, p.deepCopy(), schema);
        } catch (SmpFailure f) {
            throw f.toApiException();
        }
    }

    /** Merges {@code patch} into {@code original}; both are private copies and may be mutated. */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, FieldSchema schema) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            if (directive.isString() && directive.asString().equals("replace")) {
                patch.remove(PATCH);
                return (ObjectNode) clean(patch);
            }
            if (directive.isString() && directive.asString().equals("delete")) {
                return JsonNodeFactory.instance.objectNode();
            }
            throw SmpFailure.internal("unknown patch type: " + GoText.of(directive) + " in map: " + GoText.of(patch));
        }
        applyRetainKeys(original, patch);
        SmpLists.applySetElementOrder(original, patch, schema);

        for (Map.Entry<String, JsonNode> entry : new ArrayList<>(patch.properties())) {
            String key = entry.getKey();
            JsonNode patchValue = entry.getValue();
            boolean deleteList = false;
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                key = directiveTarget(key, DELETE_FROM_PRIMITIVE_LIST);
                deleteList = true;
            }
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode current = original.get(key);
            if (current == null || sameShape(current, patchValue) == null) {
                if (!deleteList) {
                    JsonNode cleaned = clean(patchValue);
                    if (cleaned == null) {
                        original.remove(key);
                    } else {
                        original.set(key, cleaned);
                    }
                }
                continue;
            }
            FieldMeta meta = FieldMeta.of(schema, key);
            if (current instanceof ObjectNode co && patchValue instanceof ObjectNode po) {
                original.set(key, meta.strategy().equals("replace") ? clean(po) : mergeMap(co, po, meta.schema()));
            } else if (current instanceof ArrayNode ca && patchValue instanceof ArrayNode pa) {
                original.set(key, SmpLists.mergeSliceHandler(ca, pa, meta, deleteList));
            } else {
                original.set(key, patchValue.deepCopy());
            }
        }
        return original;
    }

    /** Non-null when both values decode to the same Go kind (map, slice or a scalar). */
    private static Boolean sameShape(JsonNode a, JsonNode b) {
        if (a.isObject() != b.isObject() || a.isArray() != b.isArray()) {
            return null;
        }
        return Boolean.TRUE;
    }

    /** The field a {@code $prefix/field} directive key names. */
    static String directiveTarget(String key, String prefix) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
            throw prefix.equals(DELETE_FROM_PRIMITIVE_LIST) ? SmpFailure.badPrimitiveList() : SmpFailure.badSetElementOrder();
        }
        return key.substring(slash + 1);
    }

    /** Clears members of {@code original} not named by the patch's {@code $retainKeys}. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw SmpFailure.badRetainKeys();
        }
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain.values()) {
            keep.add(k.isString() ? k.asString() : k.toString());
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw SmpFailure.badRetainKeys();
            }
        }
        original.properties().removeIf(e -> !keep.contains(e.getKey()));
    }

    /**
     * A value taken whole from a patch: null when it is itself a directive, otherwise a copy
     * without null members, directive keys or directive list elements.
     */
    static JsonNode clean(JsonNode v) {
        if (v instanceof ObjectNode o) {
            if (o.has(PATCH)) {
                return null;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String k = e.getKey();
                if (e.getValue().isNull() || k.equals(RETAIN_KEYS) || k.startsWith(SET_ELEMENT_ORDER)
                        || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                    continue;
                }
                JsonNode c = clean(e.getValue());
                if (c != null) {
                    out.set(k, c);
                }
            }
            return out;
        }
        if (v instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : a.values()) {
                JsonNode c = clean(e);
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        }
        return v.deepCopy();
    }

    /** Strategic-merge metadata of one field: its schema, list strategy and merge key. */
    record FieldMeta(FieldSchema schema, String strategy, String mergeKey) {

        static FieldMeta of(FieldSchema parent, String key) {
            FieldSchema f = child(parent, key);
            if (f == null) {
                return new FieldMeta(null, "", "");
            }
            List<String> strategies = new ArrayList<>();
            for (String s : f.patchStrategy().split(",")) {
                if (!s.isBlank()) {
                    strategies.add(s.strip());
                }
            }
            strategies.remove("retainKeys");
            if (strategies.size() > 1) {
                throw SmpFailure.internal("unexpected patch strategy: " + strategies);
            }
            return new FieldMeta(f, strategies.isEmpty() ? "" : strategies.getFirst(), f.patchMergeKey());
        }

        /** The element schema of a list field. */
        FieldSchema elements() {
            return schema == null ? null : schema.items();
        }
    }

    /** The schema of a member of an object or a map value; null when unknown. */
    static FieldSchema child(FieldSchema parent, String key) {
        if (parent == null) {
            return null;
        }
        return switch (parent.type()) {
            case OBJECT -> parent.properties().get(key);
            case MAP -> parent.items();
            default -> null;
        };
    }
}

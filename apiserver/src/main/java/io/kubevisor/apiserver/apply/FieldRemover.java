package io.kubevisor.apiserver.apply;

import java.util.Map;

import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes a set of fields from a value (structured-merge-diff's {@code RemoveItems}): a member
 * path removes that member or item with everything below it; an atomic value touched by a
 * deeper path goes as a whole; containers left empty disappear. Inputs are not modified.
 */
final class FieldRemover {

    private FieldRemover() {
    }

    /** The value without {@code toRemove}; null when nothing is left. */
    static JsonNode remove(JsonNode v, FieldSet toRemove, FieldSchema schema) {
        if (v == null) {
            return null;
        }
        Shape shape = Shape.of(schema, v);
        switch (shape) {
            case LEAF -> {
                if (v.isObject() || v.isArray()) {
                    // An atomic struct, map or list reached by a deeper path is removed whole.
                    return null;
                }
                return v.deepCopy();
            }
            case STRUCT, MAP -> {
                if (!v.isObject() || v.isEmpty()) {
                    return null;
                }
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    PathElement pe = new PathElement.Field(e.getKey());
                    if (toRemove.members().contains(pe)) {
                        continue;
                    }
                    JsonNode val = e.getValue();
                    FieldSet sub = toRemove.withPrefix(pe);
                    if (!sub.isEmpty()) {
                        val = remove(val, sub, Shape.member(schema, e.getKey()));
                        if (val == null) {
                            continue;
                        }
                    } else {
                        val = val.deepCopy();
                    }
                    out.set(e.getKey(), val);
                }
                return out.isEmpty() ? null : out;
            }
            case SET, KEYED_LIST -> {
                if (!v.isArray() || v.isEmpty()) {
                    return null;
                }
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                for (JsonNode item : v.values()) {
                    PathElement pe = Shape.itemElement(schema, shape, item);
                    if (toRemove.members().contains(pe)) {
                        continue;
                    }
                    FieldSet sub = toRemove.withPrefix(pe);
                    JsonNode kept = item.deepCopy();
                    if (!sub.isEmpty()) {
                        kept = remove(item, sub, Shape.elements(schema));
                        if (kept == null) {
                            kept = JsonNodeFactory.instance.objectNode();
                        }
                    }
                    out.add(kept);
                }
                return out.isEmpty() ? null : out;
            }
            default -> throw new IllegalStateException(shape.name());
        }
    }
}

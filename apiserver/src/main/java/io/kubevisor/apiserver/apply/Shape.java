package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.schema.FieldSchema;

import tools.jackson.databind.JsonNode;

/**
 * How server-side apply treats a value, read from its schema: a leaf (scalar, atomic struct, map
 * or list), a granular struct or map, or a set / map-keyed list whose items are tracked one by
 * one. Where the schema says nothing ({@code null} or {@code ANY}) the value decides, as
 * structured-merge-diff's deduced type does: objects are granular maps, lists are atomic.
 */
enum Shape {
    LEAF, STRUCT, MAP, SET, KEYED_LIST;

    /** The shape of {@code v} (may be null or a JSON null) under {@code schema} (may be null). */
    static Shape of(FieldSchema schema, JsonNode v) {
        boolean nullish = JsonValues.isNull(v);
        if (schema == null || schema.type() == FieldSchema.Type.ANY) {
            if (!nullish && v.isObject()) {
                return MAP;
            }
            return LEAF;
        }
        return switch (schema.type()) {
            case OBJECT, MAP -> {
                if (!nullish && !v.isObject()) {
                    yield LEAF;
                }
                if (schema.atomic()) {
                    yield LEAF;
                }
                yield schema.type() == FieldSchema.Type.OBJECT ? STRUCT : MAP;
            }
            case LIST -> {
                if (!nullish && !v.isArray()) {
                    yield LEAF;
                }
                yield switch (schema.listType()) {
                    case ATOMIC -> LEAF;
                    case SET -> SET;
                    case MAP -> schema.listMapKeys().isEmpty() ? LEAF : KEYED_LIST;
                };
            }
            default -> LEAF;
        };
    }

    /** The shape two values share, or LEAF when they disagree (the whole value then changes). */
    static Shape of(FieldSchema schema, JsonNode lhs, JsonNode rhs) {
        Shape l = lhs == null ? null : of(schema, lhs);
        Shape r = rhs == null ? null : of(schema, rhs);
        if (l == null) {
            return r;
        }
        if (r == null || l == r) {
            return l;
        }
        return LEAF;
    }

    static boolean isStruct(FieldSchema schema) {
        return schema != null && schema.type() == FieldSchema.Type.OBJECT;
    }

    /** The schema of member {@code name}: a declared property, a map's values, or null (unknown). */
    static FieldSchema member(FieldSchema schema, String name) {
        if (schema == null) {
            return null;
        }
        return switch (schema.type()) {
            case OBJECT -> schema.properties().get(name);
            case MAP -> schema.items();
            default -> null;
        };
    }

    /** Whether {@code name} is a declared struct field (not a map key or an unknown field). */
    static boolean isNamedField(FieldSchema schema, String name) {
        return isStruct(schema) && schema.properties().containsKey(name);
    }

    /** The element schema of a list. */
    static FieldSchema elements(FieldSchema schema) {
        return schema == null ? null : schema.items();
    }

    /**
     * The path element naming one item of a set or keyed list.
     *
     * @throws SchemaViolation when the item cannot be identified (missing key, non-scalar set item)
     */
    static PathElement itemElement(FieldSchema listSchema, Shape shape, JsonNode item) {
        if (shape == SET) {
            if (JsonValues.isNull(item)) {
                throw new SchemaViolation("associative list without keys has an element that's an explicit null");
            }
            if (item.isObject()) {
                throw new SchemaViolation("associative list without keys has an element that's a map type");
            }
            if (item.isArray()) {
                throw new SchemaViolation("not supported: associative list with lists as elements");
            }
            return new PathElement.Value(item);
        }
        if (JsonValues.isNull(item)) {
            throw new SchemaViolation("associative list with keys may not have a null element");
        }
        if (!item.isObject()) {
            throw new SchemaViolation("associative list with keys may not have non-map elements");
        }
        List<PathElement.KeyField> fields = new ArrayList<>();
        for (String key : listSchema.listMapKeys()) {
            JsonNode v = item.get(key);
            if (JsonValues.isNull(v)) {
                v = keyDefault(listSchema, key);
            }
            if (v == null) {
                throw new SchemaViolation("associative list with keys has an element that omits key field \"" + key
                        + "\" (and doesn't have default value)");
            }
            fields.add(new PathElement.KeyField(key, v));
        }
        return new PathElement.Key(fields);
    }

    /**
     * The schema default of a missing key field. The schema interface carries no defaults, and
     * the only defaulted list-map key in the built-in API is {@code protocol} ({@code TCP}) of
     * container, service and endpoint ports.
     */
    private static JsonNode keyDefault(FieldSchema listSchema, String key) {
        if (!key.equals("protocol")) {
            return null;
        }
        FieldSchema el = listSchema.items();
        FieldSchema p = el == null ? null : el.properties().get(key);
        if (p != null && p.type() == FieldSchema.Type.STRING) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("TCP");
        }
        return null;
    }
}

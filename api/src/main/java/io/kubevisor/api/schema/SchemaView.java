package io.kubevisor.api.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * A {@link FieldSchema} over one OpenAPI schema node (a definition or a property). A node that
 * is a {@code $ref} (bare or wrapped in a one-element {@code allOf}) keeps its own description
 * and patch/list metadata and takes its shape from the referenced definition, looked up on each
 * call: construction never follows references, so recursive definitions need no special care.
 * Immutable and thread-safe provided the lookup function is.
 */
final class SchemaView implements FieldSchema {

    private final String ref;
    private final Function<String, SchemaView> definitions;
    private final Type ownType;
    private final String description;
    private final Map<String, FieldSchema> properties;
    private final List<String> required;
    private final FieldSchema items;
    private final ListType listType;
    private final List<String> listMapKeys;
    private final boolean ownAtomic;
    private final String patchStrategy;
    private final String patchMergeKey;
    private final String format;
    private final List<String> enumValues;
    private final ZeroValue zeroValue;

    SchemaView(JsonNode node, Function<String, SchemaView> definitions) {
        this.definitions = definitions;
        this.ref = refOf(node);
        this.description = text(node, "description");
        this.ownType = ref != null ? null : typeOf(node);
        Map<String, FieldSchema> props = new LinkedHashMap<>();
        JsonNode p = node.get("properties");
        if (ref == null && p != null && p.isObject()) {
            p.properties().forEach(e -> props.put(e.getKey(), new SchemaView(e.getValue(), definitions)));
        }
        this.properties = Collections.unmodifiableMap(props);
        this.required = strings(node.get("required"));
        JsonNode itemNode = switch (ownType == null ? Type.ANY : ownType) {
            case LIST -> node.get("items");
            case MAP -> node.get("additionalProperties");
            default -> null;
        };
        this.items = itemNode != null && itemNode.isObject() ? new SchemaView(itemNode, definitions) : null;
        this.listType = switch (text(node, "x-kubernetes-list-type")) {
            case "map" -> ListType.MAP;
            case "set" -> ListType.SET;
            default -> ListType.ATOMIC;
        };
        this.listMapKeys = strings(node.get("x-kubernetes-list-map-keys"));
        this.ownAtomic = "atomic".equals(text(node, "x-kubernetes-map-type"));
        this.patchStrategy = text(node, "x-kubernetes-patch-strategy");
        this.patchMergeKey = text(node, "x-kubernetes-patch-merge-key");
        this.format = text(node, "format");
        this.enumValues = strings(node.get("enum"));
        this.zeroValue = switch (text(node, BuiltinSchemas.GO_ZERO_EXTENSION)) {
            case "omit" -> ZeroValue.OMIT_ZERO;
            case "omit-empty" -> ZeroValue.OMIT_EMPTY;
            case "null" -> ZeroValue.NULL;
            case "write" -> ZeroValue.WRITE;
            default -> ZeroValue.KEEP;
        };
    }

    private static String refOf(JsonNode node) {
        JsonNode r = node.get("$ref");
        if (r == null) {
            JsonNode allOf = node.get("allOf");
            if (allOf != null && allOf.isArray() && allOf.size() == 1) {
                r = allOf.get(0).get("$ref");
            }
        }
        if (r == null || !r.isString()) {
            return null;
        }
        String s = r.asString();
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static Type typeOf(JsonNode node) {
        if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return Type.ANY;
        }
        if (node.has("oneOf") || node.path("x-kubernetes-int-or-string").asBoolean(false)
                || "int-or-string".equals(text(node, "format"))) {
            return Type.INT_OR_STRING;
        }
        return switch (text(node, "type")) {
            case "array" -> Type.LIST;
            case "object" -> {
                JsonNode ap = node.get("additionalProperties");
                if (ap != null && ap.isObject()) {
                    yield Type.MAP;
                }
                // An object that declares nothing (RawExtension, FieldsV1, interface{}) holds anything.
                yield node.has("properties") ? Type.OBJECT : Type.ANY;
            }
            case "string" -> Type.STRING;
            case "integer" -> Type.INTEGER;
            case "number" -> Type.NUMBER;
            case "boolean" -> Type.BOOLEAN;
            default -> Type.ANY;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.asString() : "";
    }

    private static List<String> strings(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(arr.size());
        arr.forEach(v -> out.add(v.isString() ? v.asString() : v.toString()));
        return List.copyOf(out);
    }

    /** The referenced definition; an unknown name reads as an empty ANY schema. */
    private FieldSchema target() {
        SchemaView t = definitions.apply(ref);
        return t != null ? t : UNKNOWN;
    }

    private static final FieldSchema UNKNOWN = new SchemaView(tools.jackson.databind.node.JsonNodeFactory.instance
            .objectNode(), name -> null);

    @Override
    public Type type() {
        return ref != null ? target().type() : ownType;
    }

    @Override
    public String description() {
        return !description.isEmpty() || ref == null ? description : target().description();
    }

    @Override
    public Optional<String> definition() {
        return Optional.ofNullable(ref);
    }

    @Override
    public Map<String, FieldSchema> properties() {
        return ref != null ? target().properties() : properties;
    }

    @Override
    public List<String> required() {
        return ref != null ? target().required() : required;
    }

    @Override
    public FieldSchema items() {
        return ref != null ? target().items() : items;
    }

    @Override
    public ListType listType() {
        return listType;
    }

    @Override
    public List<String> listMapKeys() {
        return listMapKeys;
    }

    @Override
    public boolean atomic() {
        return ownAtomic || (ref != null && target().atomic());
    }

    @Override
    public String patchStrategy() {
        return patchStrategy;
    }

    @Override
    public String patchMergeKey() {
        return patchMergeKey;
    }

    @Override
    public String format() {
        return !format.isEmpty() || ref == null ? format : target().format();
    }

    @Override
    public List<String> enumValues() {
        return enumValues;
    }

    /** A property's own rule: a referenced definition describes a type, not a Go field. */
    @Override
    public ZeroValue zeroValue() {
        return zeroValue;
    }

    @Override
    public String toString() {
        return ref != null ? "FieldSchema(" + ref + ")" : "FieldSchema(" + ownType + ")";
    }
}

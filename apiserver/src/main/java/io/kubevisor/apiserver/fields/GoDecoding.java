package io.kubevisor.apiserver.fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver's decoding into Go structs does to a JSON object, on a tree: values of the
 * wrong JSON type are refused with Go's {@code json: cannot unmarshal ...} message, and fields the
 * type does not declare are dropped (they were reported earlier, as fieldValidation asks).
 * Stateless; changes the tree in place.
 */
final class GoDecoding {

    private GoDecoding() {
    }

    /**
     * @param kind the Go type at the top (the Kind), which Go's error names
     * @throws ApiException.BadRequest for a value Go could not decode
     */
    static void decode(ObjectNode object, FieldSchema schema, String kind, String version) {
        try {
            walk(object, schema, kind, "");
        } catch (Mismatch m) {
            throw new ApiException.BadRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind
                    + ": " + m.getMessage());
        }
    }

    /** A value Go could not decode; the caller adds which kind and version it was. */
    private static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private static void walk(JsonNode value, FieldSchema schema, String kind, String path) {
        if (value == null || value.isNull()) {
            return;
        }
        switch (schema.type()) {
            case OBJECT -> {
                if (!(value instanceof ObjectNode o)) {
                    throw mismatch(value, kind, path, goType(schema));
                }
                Map<String, FieldSchema> props = schema.properties();
                List<String> unknown = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    FieldSchema p = props.get(e.getKey());
                    if (p == null) {
                        unknown.add(e.getKey());
                    } else {
                        walk(e.getValue(), p, kind, path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                    }
                }
                unknown.forEach(o::remove);
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw mismatch(value, kind, path, goType(schema));
                }
                FieldSchema items = schema.items();
                if (items != null) {
                    value.values().forEach(v -> walk(v, items, kind, path));
                }
            }
            case LIST -> {
                if (!value.isArray()) {
                    // []byte is a base64 string in JSON
                    if (value.isString() && "byte".equals(schema.format())) {
                        return;
                    }
                    throw mismatch(value, kind, path, goType(schema));
                }
                FieldSchema items = schema.items();
                if (items != null) {
                    value.values().forEach(v -> walk(v, items, kind, path));
                }
            }
            case STRING -> {
                if (!value.isString()) {
                    throw mismatch(value, kind, path, goType(schema));
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw mismatch(value, kind, path, "bool");
                }
            }
            case INTEGER -> {
                if (!value.isNumber()) {
                    throw mismatch(value, kind, path, goType(schema));
                }
                if (!value.isIntegralNumber() && value.decimalValue().stripTrailingZeros().scale() > 0) {
                    throw new Mismatch("json: cannot unmarshal number "
                            + value.asString() + " into Go struct field " + kind + "." + path + " of type "
                            + goType(schema));
                }
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    throw mismatch(value, kind, path, "float64");
                }
            }
            case INT_OR_STRING -> {
                if (!value.isNumber() && !value.isString()) {
                    throw mismatch(value, kind, path, goType(schema));
                }
            }
            case ANY -> {
            }
        }
    }

    private static Mismatch mismatch(JsonNode value, String kind, String path, String goType) {
        String jsonType = value.isObject() ? "object" : value.isArray() ? "array" : value.isString() ? "string"
                : value.isBoolean() ? "bool" : "number";
        String where = path.isEmpty() ? "Go value" : "Go struct field " + kind + "." + path;
        return new Mismatch("json: cannot unmarshal " + jsonType + " into " + where + " of type " + goType);
    }

    /** Go's name for the type behind a schema: {@code string}, {@code int32}, {@code []v1.Container}. */
    static String goType(FieldSchema s) {
        return switch (s.type()) {
            case STRING -> "string";
            case BOOLEAN -> "bool";
            case NUMBER -> "float64";
            case INTEGER -> "int32".equals(s.format()) ? "int32" : "int64";
            case LIST -> "[]" + (s.items() == null ? "interface {}" : goType(s.items()));
            case MAP -> "map[string]" + (s.items() == null ? "interface {}" : goType(s.items()));
            case OBJECT, INT_OR_STRING, ANY -> s.definition().map(GoDecoding::shortName).orElse("interface {}");
        };
    }

    /** {@code io.k8s.api.core.v1.Container} → {@code v1.Container}. */
    private static String shortName(String definition) {
        int last = definition.lastIndexOf('.');
        int pkg = definition.lastIndexOf('.', last - 1);
        String p = definition.substring(pkg + 1, last);
        return switch (p) {
            case "resource" -> "resource." + definition.substring(last + 1);
            case "intstr" -> "intstr." + definition.substring(last + 1);
            default -> p + "." + definition.substring(last + 1);
        };
    }
}

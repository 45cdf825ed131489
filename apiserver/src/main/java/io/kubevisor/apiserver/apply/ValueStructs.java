package io.kubevisor.apiserver.apply;

import java.util.Map;

import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes compares objects as typed Go values, in which non-pointer struct fields
 * ({@code metadata}, {@code spec}, {@code status}, a pod template, a deployment strategy, a
 * container's resources...) always exist, and required lists and maps exist as nulls. A created
 * object is compared against that empty struct, not against nothing. That is why a creator's
 * managedFields show {@code ".": {}} for {@code f:labels} but not for {@code f:spec}, and why
 * setting {@code status.phase} for the first time does not make the writer own {@code .status}.
 * This class fills those fields into JSON trees before they are compared.
 *
 * <p>The schema does not say which Go fields are pointers, so value structs are recognised by
 * Kubernetes' naming: required object fields, and types named {@code *Spec}, {@code *Status},
 * {@code ObjectMeta}, {@code *Strategy} (not {@code RollingUpdate*}) or
 * {@code *ResourceRequirements}.
 */
final class ValueStructs {

    private static final int MAX_DEPTH = 24;

    private ValueStructs() {
    }

    /** The empty Go struct of a kind; {@code {}} without a schema. */
    static ObjectNode empty(FieldSchema schema) {
        return (ObjectNode) fill(JsonNodeFactory.instance.objectNode(), schema);
    }

    /** A copy of {@code v} with the always-present Go fields filled in; null stays null. */
    static JsonNode fill(JsonNode v, FieldSchema schema) {
        if (v == null) {
            return null;
        }
        JsonNode copy = v.deepCopy();
        fillInPlace(copy, schema, 0);
        return copy;
    }

    private static void fillInPlace(JsonNode v, FieldSchema schema, int depth) {
        if (schema == null || depth > MAX_DEPTH) {
            return;
        }
        switch (schema.type()) {
            case OBJECT -> {
                if (!(v instanceof ObjectNode o)) {
                    return;
                }
                for (Map.Entry<String, FieldSchema> e : schema.properties().entrySet()) {
                    String name = e.getKey();
                    FieldSchema f = e.getValue();
                    JsonNode present = o.get(name);
                    if (present == null) {
                        boolean required = schema.required().contains(name);
                        if (f.type() == FieldSchema.Type.OBJECT && (required || valueStruct(f))) {
                            fillInPlace(o.putObject(name), f, depth + 1);
                        } else if ((f.type() == FieldSchema.Type.LIST || f.type() == FieldSchema.Type.MAP) && required) {
                            o.putNull(name);
                        }
                    } else {
                        fillInPlace(present, f, depth + 1);
                    }
                }
            }
            case MAP -> {
                if (v.isObject()) {
                    for (JsonNode c : v.values()) {
                        fillInPlace(c, schema.items(), depth + 1);
                    }
                }
            }
            case LIST -> {
                if (v.isArray()) {
                    for (JsonNode c : v.values()) {
                        fillInPlace(c, schema.items(), depth + 1);
                    }
                }
            }
            default -> {
            }
        }
    }

    private static boolean valueStruct(FieldSchema f) {
        String def = f.definition().orElse("");
        String name = def.substring(def.lastIndexOf('.') + 1);
        if (name.isEmpty()) {
            return false;
        }
        return name.endsWith("Spec") || name.endsWith("Status") || name.equals("ObjectMeta")
                || (name.endsWith("Strategy") && !name.startsWith("RollingUpdate"))
                || name.endsWith("ResourceRequirements");
    }
}

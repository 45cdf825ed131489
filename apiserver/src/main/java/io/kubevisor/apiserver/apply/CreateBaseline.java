package io.kubevisor.apiserver.apply;

import java.util.Map;

import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Kubernetes compares a created object against: not nothing, but the empty Go struct of
 * the kind, in which non-pointer struct fields ({@code metadata}, {@code spec}, {@code status},
 * a pod template, a deployment strategy...) exist as empty objects and required lists and maps
 * exist as nulls. That is why a creator's managedFields show {@code ".": {}} for
 * {@code f:labels} but not for {@code f:spec}.
 *
 * <p>The schema does not say which Go fields are pointers, so value structs are recognised by
 * Kubernetes' naming: required object fields, and types named {@code *Spec}, {@code *Status},
 * {@code ObjectMeta}, {@code *Strategy} (not {@code RollingUpdate*}) or
 * {@code *ResourceRequirements}.
 */
final class CreateBaseline {

    private static final int MAX_DEPTH = 12;

    private CreateBaseline() {
    }

    /** The empty-struct shape of an object of this schema; {@code {}} without a schema. */
    static ObjectNode of(FieldSchema schema) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        fill(out, schema, 0);
        return out;
    }

    private static void fill(ObjectNode out, FieldSchema schema, int depth) {
        if (schema == null || schema.type() != FieldSchema.Type.OBJECT || depth > MAX_DEPTH) {
            return;
        }
        for (Map.Entry<String, FieldSchema> e : schema.properties().entrySet()) {
            FieldSchema f = e.getValue();
            boolean required = schema.required().contains(e.getKey());
            switch (f.type()) {
                case OBJECT -> {
                    if (required || valueStruct(f)) {
                        fill(out.putObject(e.getKey()), f, depth + 1);
                    }
                }
                case LIST, MAP -> {
                    if (required) {
                        out.putNull(e.getKey());
                    }
                }
                default -> {
                }
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

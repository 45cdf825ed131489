package io.kubevisor.api.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Finds fields an object carries that its schema does not declare, as Kubernetes' strict
 * decoding reports them ({@code fieldValidation=Strict|Warn}).
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /**
     * Paths of the undeclared fields in {@code object}, in document order: fields joined by
     * {@code .}, list elements as {@code [i]}, map keys as {@code .key}, e.g.
     * {@code spec.containers[0].bogus}. Nothing below an ANY schema (RawExtension,
     * preserve-unknown-fields) is checked, and map keys are free. Values of the wrong JSON type
     * are not reported here (that is validation's job). The caller formats the message
     * (Kubernetes says {@code unknown field "<path>"}). Pure function; returns a new list.
     */
    public static List<String> find(FieldSchema schema, JsonNode object) {
        List<String> out = new ArrayList<>();
        walk(schema, object, "", out);
        return out;
    }

    private static void walk(FieldSchema schema, JsonNode node, String path, List<String> out) {
        if (schema == null || node == null || node.isNull()) {
            return;
        }
        switch (schema.type()) {
            case OBJECT -> {
                if (!node.isObject()) {
                    return;
                }
                Map<String, FieldSchema> props = schema.properties();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    FieldSchema child = props.get(e.getKey());
                    if (child == null) {
                        out.add(childPath);
                    } else {
                        walk(child, e.getValue(), childPath, out);
                    }
                }
            }
            case MAP -> {
                if (node.isObject()) {
                    for (Map.Entry<String, JsonNode> e : node.properties()) {
                        walk(schema.items(), e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
                    }
                }
            }
            case LIST -> {
                if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        walk(schema.items(), node.get(i), path + "[" + i + "]", out);
                    }
                }
            }
            case STRING, INTEGER, NUMBER, BOOLEAN, INT_OR_STRING, ANY -> {
                // leaves, and ANY which accepts everything below it
            }
        }
    }
}

package io.kubevisor.api.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.api.schema.FieldSchema.ZeroValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a JSON tree decoded field by field from a Kubernetes protobuf message into the JSON
 * kube-apiserver writes for the same object. kube-apiserver decodes protobuf into Go structs and
 * writes them with Go's {@code encoding/json}, and Kubernetes' protobuf writer puts every
 * non-pointer field on the wire, zero or not; so per property ({@link FieldSchema#zeroValue()}):
 * <ul>
 *   <li>zeros of omitempty non-pointer scalars ({@code stdin: false}, {@code minReadySeconds: 0},
 *       {@code namespace: ""}) and empty omitempty slices and maps are removed;</li>
 *   <li>explicit zeros of pointer fields ({@code replicas: 0}, {@code allowPrivilegeEscalation:
 *       false}, {@code storageClassName: ""}) and of fields without omitempty stay;</li>
 *   <li>nil slices, maps and pointers without omitempty, which protobuf cannot carry, come back
 *       as {@code null} ({@code selector: null}, {@code verbs: null});</li>
 *   <li>non-pointer structs and non-omitempty scalars missing from the message (a writer that
 *       is not Go's may leave them out) come back as their Go zero value ({@code status: {}},
 *       {@code creationTimestamp: null});</li>
 *   <li>properties are put in the Go declaration order, unknown ones after them.</li>
 * </ul>
 * Objects are entered recursively, through list elements and map values too; list elements and
 * map values themselves are never removed, as Go writes every element. Values without a declared
 * shape ({@link FieldSchema.Type#ANY}: embedded objects, free-form JSON) are left alone.
 *
 * <p>Stateless and thread-safe; the tree passed in is changed in place and stays the caller's.
 */
public final class ZeroValueNormalizer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String DURATION = META + "Duration";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private ZeroValueNormalizer() {
    }

    /**
     * Applies Go's JSON rules to {@code object}, the value of an OBJECT schema (a kind's
     * definition, say). Does nothing for other schema types.
     */
    public static void normalize(ObjectNode object, FieldSchema schema) {
        if (schema.type() != FieldSchema.Type.OBJECT) {
            return;
        }
        Map<String, FieldSchema> properties = schema.properties();
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, FieldSchema> e : properties.entrySet()) {
            FieldSchema p = e.getValue();
            JsonNode v = object.get(e.getKey());
            if (v == null) {
                v = unset(p);
            } else if (omitted(p.zeroValue(), v)) {
                v = null;
            } else {
                descend(v, p);
            }
            if (v != null) {
                ordered.put(e.getKey(), v);
            }
        }
        List<Map.Entry<String, JsonNode>> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (!properties.containsKey(e.getKey())) {
                unknown.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        object.removeAll();
        ordered.forEach(object::set);
        unknown.forEach(e -> object.set(e.getKey(), e.getValue()));
    }

    private static void descend(JsonNode v, FieldSchema schema) {
        switch (schema.type()) {
            case OBJECT -> {
                if (v instanceof ObjectNode o) {
                    normalize(o, schema);
                }
            }
            case LIST, MAP -> {
                FieldSchema items = schema.items();
                if (items != null && v.isContainer()) {
                    v.values().forEach(item -> descend(item, items));
                }
            }
            default -> {
            }
        }
    }

    /** Whether Go's omitempty drops {@code v}. */
    private static boolean omitted(ZeroValue rule, JsonNode v) {
        return switch (rule) {
            case OMIT_ZERO -> v.isString() && v.asString().isEmpty()
                    || v.isNumber() && v.decimalValue().signum() == 0
                    || v.isBoolean() && !v.booleanValue()
                    || v.isNull();
            // []byte is a base64 string, so an empty one is "".
            case OMIT_EMPTY -> v.isNull() || v.isContainer() && v.isEmpty() || v.isString() && v.asString().isEmpty();
            case KEEP, NULL, WRITE -> false;
        };
    }

    /** What Go writes for a property the message did not carry, or null to write nothing. */
    private static JsonNode unset(FieldSchema p) {
        return switch (p.zeroValue()) {
            case NULL -> NODES.nullNode();
            case WRITE -> zero(p);
            case KEEP, OMIT_ZERO, OMIT_EMPTY -> null;
        };
    }

    /**
     * The JSON of a Go zero value. Recursion ends because Go structs cannot hold themselves by
     * value: every cycle in the definitions passes through a pointer, slice or map, which are
     * never {@link ZeroValue#WRITE}.
     */
    private static JsonNode zero(FieldSchema p) {
        String definition = p.definition().orElse("");
        return switch (p.type()) {
            case OBJECT -> {
                ObjectNode o = NODES.objectNode();
                normalize(o, p);
                yield o;
            }
            // Time and MicroTime write a zero instant as null.
            case STRING -> "date-time".equals(p.format()) ? NODES.nullNode()
                    : definition.equals(DURATION) ? NODES.stringNode("0s") : NODES.stringNode("");
            case INTEGER, NUMBER -> NODES.numberNode(0);
            case BOOLEAN -> NODES.booleanNode(false);
            case INT_OR_STRING -> definition.equals(QUANTITY) ? NODES.stringNode("0") : NODES.numberNode(0);
            // RawExtension writes an empty value as null; slices and maps are never WRITE.
            case ANY, LIST, MAP -> NODES.nullNode();
        };
    }
}

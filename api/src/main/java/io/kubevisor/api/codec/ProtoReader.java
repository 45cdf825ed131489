package io.kubevisor.api.codec;

import java.util.Base64;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a decoded Kubernetes protobuf message into a JSON tree, field by field: every field the
 * message carries, zero or not, under its JSON name, with Kubernetes' JSON forms for its special
 * types (Time, Quantity, IntOrString, Duration, RawExtension, ...). Stateless apart from the
 * callback that decodes nested {@code runtime.Unknown} payloads; safe to share.
 *
 * <p>Kubernetes' protobuf writer puts every non-pointer field on the wire, so the tree still holds
 * zeros that Go's JSON would omit ({@code stdin: false}); {@link ZeroValueNormalizer} turns it into
 * what kube-apiserver writes. Only what protobuf itself cannot tell apart is settled here:
 * repeated fields without elements are left out (protobuf has no empty list), and a zero
 * {@code Time} or {@code MicroTime} (an empty message) is {@code null}, as Go writes it.
 */
final class ProtoReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Decodes bytes that start with the protobuf magic inside a RawExtension. */
    private final Function<byte[], JsonNode> nestedDecoder;

    ProtoReader(Function<byte[], JsonNode> nestedDecoder) {
        this.nestedDecoder = nestedDecoder;
    }

    /** The JSON object for a message that is not one of the special types. */
    ObjectNode object(Message m) {
        ObjectNode out = Json.object();
        fill(out, m);
        return out;
    }

    private void fill(ObjectNode out, Message m) {
        Descriptor d = m.getDescriptorForType();
        for (FieldDescriptor f : d.getFields()) {
            if (f.isRepeated()) {
                if (m.getRepeatedFieldCount(f) == 0) {
                    continue;
                }
                out.set(ProtoNames.jsonName(f), f.isMapField() ? map(m, f) : list(m, f));
                continue;
            }
            if (!m.hasField(f)) {
                continue;
            }
            Object value = m.getField(f);
            if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                out.set(ProtoNames.jsonName(f), scalar(f, value));
            } else if (ProtoNames.INLINE.contains(d.getFullName() + "." + f.getName())) {
                fill(out, (Message) value);
            } else {
                out.set(ProtoNames.jsonName(f), message((Message) value));
            }
        }
    }

    private ArrayNode list(Message m, FieldDescriptor f) {
        ArrayNode arr = Json.array();
        int n = m.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
            Object v = m.getRepeatedField(f, i);
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                arr.add(message((Message) v));
            } else {
                arr.add(scalar(f, v));
            }
        }
        return arr;
    }

    private ObjectNode map(Message m, FieldDescriptor f) {
        ObjectNode obj = Json.object();
        FieldDescriptor keyField = f.getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = f.getMessageType().findFieldByNumber(2);
        int n = m.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
            Message entry = (Message) m.getRepeatedField(f, i);
            String k = String.valueOf(entry.getField(keyField));
            Object v = entry.getField(valueField);
            if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                obj.set(k, message((Message) v));
            } else {
                obj.set(k, scalar(valueField, v));
            }
        }
        return obj;
    }

    /** A message's JSON. */
    private JsonNode message(Message m) {
        String type = m.getDescriptorForType().getFullName();
        return switch (type) {
            // Go reads an empty Time message as the zero instant, which its JSON writes as null;
            // an explicit seconds: 0 is the epoch. Time keeps whole seconds only, as Go's does.
            case ProtoNames.TIME -> m.getAllFields().isEmpty() ? NODES.nullNode()
                    : NODES.stringNode(KubeTime.formatSeconds(longField(m, "seconds")));
            case ProtoNames.MICRO_TIME -> m.getAllFields().isEmpty() ? NODES.nullNode()
                    : NODES.stringNode(KubeTime.formatMicros(longField(m, "seconds"), (int) longField(m, "nanos")));
            case ProtoNames.QUANTITY, ProtoNames.QUANTITY_VALUE -> NODES.stringNode(stringField(m, "string"));
            case ProtoNames.INT_OR_STRING -> longField(m, "type") == 1
                    ? NODES.stringNode(stringField(m, "strVal"))
                    : NODES.numberNode((int) longField(m, "intVal"));
            case ProtoNames.DURATION -> NODES.stringNode(GoDuration.format(longField(m, "duration")));
            case ProtoNames.RAW_EXTENSION -> raw(bytesField(m, "raw"));
            case ProtoNames.FIELDS_V1 -> raw(bytesField(m, "Raw"));
            default -> {
                if (ProtoNames.STRING_LISTS.contains(type)) {
                    yield list(m, m.getDescriptorForType().findFieldByName("items"));
                }
                yield object(m);
            }
        };
    }

    /** Embedded objects are JSON in practice; a protobuf-encoded one is decoded in turn. */
    private JsonNode raw(byte[] bytes) {
        if (bytes.length == 0) {
            return NODES.nullNode();
        }
        if (ProtobufCodec.hasMagic(bytes)) {
            return nestedDecoder.apply(bytes);
        }
        return Json.parse(bytes);
    }

    private static JsonNode scalar(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case INT -> NODES.numberNode((Integer) v);
            // Small int64s become int nodes, as Jackson parses the same JSON text: decoded trees
            // then compare equal to trees parsed from JSON.
            case LONG -> {
                long l = (Long) v;
                yield l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
            }
            case FLOAT -> NODES.numberNode((Float) v);
            case DOUBLE -> NODES.numberNode((Double) v);
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            case STRING -> NODES.stringNode((String) v);
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> NODES.stringNode(v.toString());
            case MESSAGE -> throw new IllegalStateException("message handled elsewhere");
        };
    }

    private static long longField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return m.hasField(f) ? ((Number) m.getField(f)).longValue() : 0;
    }

    private static String stringField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return m.hasField(f) ? (String) m.getField(f) : "";
    }

    private static byte[] bytesField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return m.hasField(f) ? ((ByteString) m.getField(f)).toByteArray() : new byte[0];
    }
}

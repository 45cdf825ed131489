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
 * Turns a decoded Kubernetes protobuf message into the JSON tree Kubernetes itself would write
 * for the same Go object. Stateless apart from the callback that decodes nested
 * {@code runtime.Unknown} payloads; safe to share.
 *
 * <p>Kubernetes' protobuf marshaller writes every non-pointer field, zero or not, so proto2
 * presence is not Go's {@code omitempty}. The rules below keep what carries meaning and drop
 * what Go's JSON would have omitted:
 * <ul>
 *   <li>empty strings are omitted (a zero Go string is "unset"), except the few pointer
 *       strings where "" means something ({@link ProtoNames#KEEP_EMPTY_STRING});</li>
 *   <li>numbers and booleans are kept even when zero, because pointer fields such as
 *       {@code replicas: 0}, {@code runAsUser: 0} or {@code allowPrivilegeEscalation: false}
 *       differ from "unset"; a handful of non-pointer fields whose zero only means "unset" are
 *       dropped ({@link ProtoNames#DROP_ZERO});</li>
 *   <li>empty messages stay as {@code {}} ({@code emptyDir: {}} matters), empty lists and maps
 *       are omitted, and a zero {@code Time} is omitted.</li>
 * </ul>
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
                out.set(f.getName(), f.isMapField() ? map(m, f) : list(m, f));
                continue;
            }
            if (!m.hasField(f)) {
                continue;
            }
            String key = d.getFullName() + "." + f.getName();
            Object value = m.getField(f);
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Message sub = (Message) value;
                if (ProtoNames.INLINE.contains(key)) {
                    fill(out, sub);
                    continue;
                }
                JsonNode node = message(sub);
                if (node != null) {
                    out.set(f.getName(), node);
                }
                continue;
            }
            if (value instanceof String s && s.isEmpty() && !ProtoNames.KEEP_EMPTY_STRING.contains(key)) {
                continue;
            }
            if (value instanceof Number n && n.longValue() == 0 && ProtoNames.DROP_ZERO.contains(key)) {
                continue;
            }
            out.set(f.getName(), scalar(f, value));
        }
    }

    private ArrayNode list(Message m, FieldDescriptor f) {
        ArrayNode arr = Json.array();
        int n = m.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
            Object v = m.getRepeatedField(f, i);
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                JsonNode node = message((Message) v);
                arr.add(node == null ? NODES.nullNode() : node);
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
                JsonNode node = message((Message) v);
                obj.set(k, node == null ? NODES.nullNode() : node);
            } else {
                obj.set(k, scalar(valueField, v));
            }
        }
        return obj;
    }

    /** A message's JSON, or null when Go would write nothing (a zero Time). */
    private JsonNode message(Message m) {
        String type = m.getDescriptorForType().getFullName();
        return switch (type) {
            case ProtoNames.TIME -> {
                long seconds = longField(m, "seconds");
                int nanos = (int) longField(m, "nanos");
                yield seconds == 0 && nanos == 0 ? null : NODES.stringNode(KubeTime.formatSeconds(seconds));
            }
            case ProtoNames.MICRO_TIME -> {
                long seconds = longField(m, "seconds");
                int nanos = (int) longField(m, "nanos");
                yield seconds == 0 && nanos == 0 ? null : NODES.stringNode(KubeTime.formatMicros(seconds, nanos));
            }
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

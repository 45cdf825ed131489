package io.kubevisor.api.codec;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the protobuf message for a Kubernetes JSON object: the inverse of {@link ProtoReader}.
 * Stateless; safe to share. Failures are {@link IllegalArgumentException}s naming the JSON path.
 */
final class ProtoWriter {

    /** Encodes a message of the given type from a JSON object (top-level apiVersion/kind skipped). */
    Message write(Descriptor type, JsonNode json) {
        return object(type, json, "");
    }

    private Message object(Descriptor type, JsonNode json, String path) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(where(path) + "expected an object for " + type.getName());
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        Map<FieldDescriptor, ObjectNode> inline = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (path.isEmpty() && (key.equals("apiVersion") || key.equals("kind"))) {
                continue;
            }
            FieldDescriptor f = ProtoNames.field(type, key);
            if (f == null) {
                FieldDescriptor holder = inlineHolder(type, key);
                if (holder == null) {
                    throw new IllegalArgumentException(
                            where(path) + "field \"" + key + "\" has no protobuf form in " + type.getFullName());
                }
                inline.computeIfAbsent(holder, h -> Json.object()).set(key, value);
                continue;
            }
            if (value.isNull()) {
                continue;
            }
            String sub = path.isEmpty() ? key : path + "." + key;
            if (f.isMapField()) {
                map(b, f, value, sub);
            } else if (f.isRepeated()) {
                if (!value.isArray()) {
                    throw new IllegalArgumentException(where(sub) + "expected an array");
                }
                int i = 0;
                for (JsonNode item : value) {
                    b.addRepeatedField(f, single(f, item, sub + "[" + i++ + "]"));
                }
            } else {
                Object v = single(f, value, sub);
                if (v != null) {
                    b.setField(f, v);
                }
            }
        }
        for (Map.Entry<FieldDescriptor, ObjectNode> e : inline.entrySet()) {
            b.setField(e.getKey(), object(e.getKey().getMessageType(), e.getValue(), path));
        }
        return b.build();
    }

    private static FieldDescriptor inlineHolder(Descriptor type, String key) {
        for (FieldDescriptor f : type.getFields()) {
            if (ProtoNames.INLINE.contains(type.getFullName() + "." + f.getName())
                    && ProtoNames.field(f.getMessageType(), key) != null) {
                return f;
            }
        }
        return null;
    }

    private void map(DynamicMessage.Builder b, FieldDescriptor f, JsonNode value, String path) {
        if (!value.isObject()) {
            throw new IllegalArgumentException(where(path) + "expected an object");
        }
        Descriptor entryType = f.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByNumber(1);
        FieldDescriptor valueField = entryType.findFieldByNumber(2);
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            Object v = e.getValue().isNull() ? null : single(valueField, e.getValue(), path + "." + e.getKey());
            DynamicMessage.Builder entry = DynamicMessage.newBuilder(entryType).setField(keyField, e.getKey());
            if (v != null) {
                entry.setField(valueField, v);
            }
            b.addRepeatedField(f, entry.build());
        }
    }

    /** One value of a field; null means "leave unset". */
    private Object single(FieldDescriptor f, JsonNode v, String path) {
        return switch (f.getJavaType()) {
            case MESSAGE -> message(f.getMessageType(), v, path);
            case STRING -> {
                requireThat(v.isString(), path, "a string");
                yield v.asString();
            }
            case INT -> {
                requireThat(v.isIntegralNumber() && v.canConvertToInt(), path, "a 32-bit integer");
                yield v.intValue();
            }
            case LONG -> {
                requireThat(v.isIntegralNumber() && v.canConvertToLong(), path, "a 64-bit integer");
                yield v.longValue();
            }
            case FLOAT -> {
                requireThat(v.isNumber(), path, "a number");
                yield v.floatValue();
            }
            case DOUBLE -> {
                requireThat(v.isNumber(), path, "a number");
                yield v.doubleValue();
            }
            case BOOLEAN -> {
                requireThat(v.isBoolean(), path, "a boolean");
                yield v.booleanValue();
            }
            case BYTE_STRING -> {
                requireThat(v.isString(), path, "a base64 string");
                try {
                    yield ByteString.copyFrom(Base64.getDecoder().decode(v.asString()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where(path) + "invalid base64: " + e.getMessage(), e);
                }
            }
            case ENUM -> {
                requireThat(v.isString(), path, "an enum name");
                var value = f.getEnumType().findValueByName(v.asString());
                requireThat(value != null, path, "one of " + f.getEnumType().getValues());
                yield value;
            }
        };
    }

    private Object message(Descriptor type, JsonNode v, String path) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        try {
            switch (type.getFullName()) {
                case ProtoNames.TIME, ProtoNames.MICRO_TIME -> {
                    requireThat(v.isString(), path, "an RFC 3339 time");
                    Instant t = KubeTime.parse(v.asString());
                    b.setField(type.findFieldByName("seconds"), t.getEpochSecond());
                    b.setField(type.findFieldByName("nanos"), t.getNano());
                }
                case ProtoNames.QUANTITY, ProtoNames.QUANTITY_VALUE -> {
                    // Kubernetes accepts quantities as JSON numbers too ("cpu": 1).
                    requireThat(v.isString() || v.isNumber(), path, "a quantity");
                    b.setField(type.findFieldByName("string"), v.asString());
                }
                case ProtoNames.INT_OR_STRING -> {
                    if (v.isIntegralNumber()) {
                        b.setField(type.findFieldByName("type"), 0L);
                        b.setField(type.findFieldByName("intVal"), v.intValue());
                        b.setField(type.findFieldByName("strVal"), "");
                    } else {
                        requireThat(v.isString(), path, "an integer or a string");
                        b.setField(type.findFieldByName("type"), 1L);
                        b.setField(type.findFieldByName("intVal"), 0);
                        b.setField(type.findFieldByName("strVal"), v.asString());
                    }
                }
                case ProtoNames.DURATION -> {
                    requireThat(v.isString(), path, "a duration string");
                    b.setField(type.findFieldByName("duration"), GoDuration.parse(v.asString()));
                }
                case ProtoNames.RAW_EXTENSION ->
                        b.setField(type.findFieldByName("raw"), ByteString.copyFrom(Json.bytes(v)));
                case ProtoNames.FIELDS_V1 -> b.setField(type.findFieldByName("Raw"), ByteString.copyFrom(Json.bytes(v)));
                default -> {
                    if (ProtoNames.STRING_LISTS.contains(type.getFullName())) {
                        requireThat(v.isArray(), path, "an array of strings");
                        FieldDescriptor items = type.findFieldByName("items");
                        for (JsonNode item : v) {
                            requireThat(item.isString(), path, "an array of strings");
                            b.addRepeatedField(items, item.asString());
                        }
                    } else {
                        return object(type, v, path);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where(path))) {
                throw e;
            }
            throw new IllegalArgumentException(where(path) + e.getMessage(), e);
        }
        return b.build();
    }

    private static void requireThat(boolean ok, String path, String what) {
        if (!ok) {
            throw new IllegalArgumentException(where(path) + "expected " + what);
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}

package io.kubevisor.api.openapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * Encodes a Swagger 2.0 JSON tree as the gnostic {@code openapi.v2.Document} protobuf message
 * (github.com/google/gnostic-models, openapiv2/OpenAPIv2.proto) that kubectl decodes. Field
 * numbers below are that file's. Covers what {@link OpenApiV2} emits: info, paths with their
 * operations, parameters and responses, definitions, security. Vendor extensions and
 * {@code default}/{@code enum} values travel as {@code Any{yaml}}, written as JSON (a YAML
 * subset). Stateless.
 */
final class GnosticEncoder {

    private GnosticEncoder() {
    }

    static byte[] document(JsonNode doc) {
        Msg m = new Msg();
        m.string(1, text(doc, "swagger"));
        JsonNode info = doc.get("info");
        if (info != null) {
            m.message(2, new Msg().string(1, text(info, "title")).string(2, text(info, "version"))
                    .string(3, text(info, "description")).bytes());
        }
        m.strings(6, doc.get("consumes"));
        m.strings(7, doc.get("produces"));
        JsonNode paths = doc.get("paths");
        if (paths != null) {
            Msg p = new Msg();
            paths.properties().forEach(e -> p.message(2, named(e.getKey(), pathItem(e.getValue()))));
            m.message(8, p.bytes());
        }
        JsonNode defs = doc.get("definitions");
        if (defs != null) {
            Msg d = new Msg();
            defs.properties().forEach(e -> d.message(1, named(e.getKey(), schema(e.getValue()))));
            m.message(9, d.bytes());
        }
        for (JsonNode req : doc.path("security")) {
            Msg sr = new Msg();
            req.properties().forEach(e -> sr.message(1, new Msg().string(1, e.getKey())
                    .message(2, new Msg().strings(1, e.getValue()).bytes()).bytes()));
            m.message(12, sr.bytes());
        }
        JsonNode secDefs = doc.get("securityDefinitions");
        if (secDefs != null) {
            Msg sd = new Msg();
            secDefs.properties().forEach(e -> {
                JsonNode s = e.getValue();
                byte[] apiKey = new Msg().string(1, text(s, "type")).string(2, text(s, "name"))
                        .string(3, text(s, "in")).string(4, text(s, "description")).bytes();
                sd.message(1, new Msg().string(1, e.getKey()).message(2, new Msg().message(2, apiKey).bytes()).bytes());
            });
            m.message(13, sd.bytes());
        }
        extensions(m, 16, doc);
        return m.bytes();
    }

    private static byte[] pathItem(JsonNode item) {
        Msg m = new Msg();
        int[] fields = {2, 3, 4, 5, 6, 7, 8};
        String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
        for (int k = 0; k < methods.length; k++) {
            JsonNode op = item.get(methods[k]);
            if (op != null) {
                m.message(fields[k], operation(op));
            }
        }
        for (JsonNode p : item.path("parameters")) {
            m.message(9, parametersItem(p));
        }
        extensions(m, 10, item);
        return m.bytes();
    }

    private static byte[] operation(JsonNode op) {
        Msg m = new Msg();
        m.strings(1, op.get("tags"));
        m.string(2, text(op, "summary"));
        m.string(3, text(op, "description"));
        m.string(5, text(op, "operationId"));
        m.strings(6, op.get("produces"));
        m.strings(7, op.get("consumes"));
        for (JsonNode p : op.path("parameters")) {
            m.message(8, parametersItem(p));
        }
        JsonNode responses = op.get("responses");
        if (responses != null) {
            Msg r = new Msg();
            responses.properties().forEach(e -> r.message(1, named(e.getKey(), new Msg().message(1, response(e.getValue())).bytes())));
            m.message(9, r.bytes());
        }
        m.strings(10, op.get("schemes"));
        m.bool(11, op.path("deprecated").asBoolean(false));
        extensions(m, 13, op);
        return m.bytes();
    }

    private static byte[] response(JsonNode r) {
        Msg m = new Msg().string(1, text(r, "description"));
        JsonNode schema = r.get("schema");
        if (schema != null) {
            m.message(2, new Msg().message(1, schema(schema)).bytes());
        }
        extensions(m, 5, r);
        return m.bytes();
    }

    private static byte[] parametersItem(JsonNode p) {
        if (p.has("$ref")) {
            return new Msg().message(2, new Msg().string(1, text(p, "$ref")).bytes()).bytes();
        }
        String in = text(p, "in");
        byte[] parameter;
        if (in.equals("body")) {
            Msg body = new Msg().string(1, text(p, "description")).string(2, text(p, "name")).string(3, in)
                    .bool(4, p.path("required").asBoolean(false));
            if (p.has("schema")) {
                body.message(5, schema(p.get("schema")));
            }
            extensions(body, 6, p);
            parameter = new Msg().message(1, body.bytes()).bytes();
        } else {
            // Query (3), path (4) and header (1) sub-schemas share their first fields; type and
            // uniqueItems sit one number later for query parameters (allowEmptyValue comes first).
            boolean query = in.equals("query");
            Msg sub = new Msg().bool(1, p.path("required").asBoolean(false)).string(2, in)
                    .string(3, text(p, "description")).string(4, text(p, "name"))
                    .string(query ? 6 : 5, text(p, "type")).string(query ? 7 : 6, text(p, "format"))
                    .bool(query ? 20 : 19, p.path("uniqueItems").asBoolean(false));
            extensions(sub, query ? 23 : 22, p);
            int which = switch (in) {
                case "query" -> 3;
                case "path" -> 4;
                case "header" -> 1;
                default -> throw new IllegalArgumentException("unsupported parameter location " + in);
            };
            parameter = new Msg().message(2, new Msg().message(which, sub.bytes()).bytes()).bytes();
        }
        return new Msg().message(1, parameter).bytes();
    }

    static byte[] schema(JsonNode s) {
        Msg m = new Msg();
        m.string(1, text(s, "$ref"));
        m.string(2, text(s, "format"));
        m.string(3, text(s, "title"));
        m.string(4, text(s, "description"));
        if (s.has("default")) {
            m.message(5, any(s.get("default")));
        }
        m.bool(16, s.path("uniqueItems").asBoolean(false));
        m.strings(19, s.get("required"));
        for (JsonNode e : s.path("enum")) {
            m.message(20, any(e));
        }
        JsonNode ap = s.get("additionalProperties");
        if (ap != null) {
            m.message(21, ap.isBoolean() ? new Msg().bool(2, ap.asBoolean(), true).bytes()
                    : new Msg().message(1, schema(ap)).bytes());
        }
        JsonNode type = s.get("type");
        if (type != null) {
            m.message(22, new Msg().strings(1, type.isArray() ? type : Json.array().add(type.asString())).bytes());
        }
        JsonNode items = s.get("items");
        if (items != null) {
            Msg it = new Msg();
            if (items.isArray()) {
                items.forEach(i -> it.message(1, schema(i)));
            } else {
                it.message(1, schema(items));
            }
            m.message(23, it.bytes());
        }
        for (JsonNode a : s.path("allOf")) {
            m.message(24, schema(a));
        }
        JsonNode props = s.get("properties");
        if (props != null) {
            Msg p = new Msg();
            props.properties().forEach(e -> p.message(1, named(e.getKey(), schema(e.getValue()))));
            m.message(25, p.bytes());
        }
        m.bool(27, s.path("readOnly").asBoolean(false));
        extensions(m, 31, s);
        return m.bytes();
    }

    /** {@code Named*{name = 1, value = 2}}: the shape gnostic gives every ordered map entry. */
    private static byte[] named(String name, byte[] value) {
        return new Msg().string(1, name).message(2, value).bytes();
    }

    private static void extensions(Msg m, int field, JsonNode node) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().startsWith("x-")) {
                m.message(field, named(e.getKey(), any(e.getValue())));
            }
        }
    }

    /** {@code Any{yaml = 2}}. */
    private static byte[] any(JsonNode value) {
        return new Msg().string(2, Json.string(value) + "\n").bytes();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.asString() : "";
    }

    /** A protobuf message being written: proto3 semantics, default values are left out. */
    private static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf, 256);

        Msg string(int field, String s) {
            try {
                if (!s.isEmpty()) {
                    out.writeString(field, s);
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Msg strings(int field, JsonNode arr) {
            if (arr != null) {
                arr.forEach(v -> string(field, v.asString()));
            }
            return this;
        }

        Msg bool(int field, boolean b) {
            return bool(field, b, false);
        }

        /** Writes a bool; {@code always} for oneof members, whose presence matters even when false. */
        Msg bool(int field, boolean b, boolean always) {
            try {
                if (b || always) {
                    out.writeBool(field, b);
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Msg message(int field, byte[] body) {
            try {
                out.writeByteArray(field, body);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                out.flush();
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

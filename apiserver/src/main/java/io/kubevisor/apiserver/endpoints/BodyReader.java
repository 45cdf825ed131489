package io.kubevisor.apiserver.endpoints;

import java.util.List;
import java.util.Locale;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Decodes request bodies (JSON, YAML, Kubernetes protobuf) into objects of the endpoint's kind,
 * applying {@code fieldValidation}: duplicate and unknown fields are an error (Strict), a
 * warning (Warn) or ignored (Ignore).
 */
public final class BodyReader {

    /** Decodes protobuf bodies; absent until wired. */
    public interface ProtobufDecoder {
        ObjectNode decode(byte[] body);
    }

    /** Finds fields the kind's schema does not declare, as paths like {@code spec.bogus}. */
    public interface UnknownFieldFinder {
        List<String> find(GroupVersionKind gvk, JsonNode object);

        UnknownFieldFinder NONE = (gvk, object) -> List.of();
    }

    private static final JsonMapper LENIENT = Json.MAPPER.rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final ProtobufDecoder protobuf;
    private final UnknownFieldFinder unknownFields;

    public BodyReader(ProtobufDecoder protobuf, UnknownFieldFinder unknownFields) {
        this.protobuf = protobuf;
        this.unknownFields = unknownFields;
    }

    /** The fieldValidation directive of a request. */
    public enum FieldValidation { STRICT, WARN, IGNORE;

        public static FieldValidation parse(String v) {
            if (v == null || v.isEmpty()) {
                return WARN;
            }
            return switch (v) {
                case "Strict" -> STRICT;
                case "Warn" -> WARN;
                case "Ignore" -> IGNORE;
                default -> throw new ApiException.BadRequest("fieldValidation parameter unsupported: " + v
                        + ", valid values are: Ignore, Warn, Strict");
            };
        }
    }

    /**
     * Decodes an object body for {@code expected}, filling a missing apiVersion/kind.
     *
     * @throws ApiException.UnsupportedMediaType for unknown content types
     * @throws ApiException.BadRequest           for malformed bodies, wrong kinds, strict failures
     */
    public ObjectNode read(byte[] body, String contentType, GroupVersionKind expected, FieldValidation validation,
                           Warnings warnings) {
        JsonNode tree = parse(body, contentType, validation, warnings, expected.kind());
        if (!(tree instanceof ObjectNode obj)) {
            throw new ApiException.BadRequest("Object 'Kind' is missing in '" + abbreviate(body) + "'");
        }
        checkKind(obj, expected);
        checkUnknownFields(expected, obj, validation, warnings);
        return obj;
    }

    /**
     * Reports fields the kind's schema does not declare: a 400 under Strict, warnings under Warn,
     * nothing under Ignore.
     */
    public void checkUnknownFields(GroupVersionKind gvk, ObjectNode obj, FieldValidation validation,
                                   Warnings warnings) {
        if (validation == FieldValidation.IGNORE) {
            return;
        }
        List<String> unknown = unknownFields.find(gvk, obj);
        if (unknown.isEmpty()) {
            return;
        }
        if (validation == FieldValidation.STRICT) {
            StringBuilder sb = new StringBuilder(gvk.kind() + " in version \"" + gvk.version()
                    + "\" cannot be handled as a " + gvk.kind() + ": strict decoding error: ");
            for (int i = 0; i < unknown.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
            }
            throw new ApiException.BadRequest(sb.toString());
        }
        for (String u : unknown) {
            warnings.add("unknown field \"" + u + "\"");
        }
    }

    /** Decodes any JSON/YAML body into a tree (patch documents, DeleteOptions). */
    public JsonNode parse(byte[] body, String contentType, FieldValidation validation, Warnings warnings) {
        return parse(body, contentType, validation, warnings, null);
    }

    /**
     * @param kind the kind the body must be, named in Kubernetes' message for malformed JSON; or null
     */
    private JsonNode parse(byte[] body, String contentType, FieldValidation validation, Warnings warnings,
                           String kind) {
        if (body.length == 0) {
            throw new ApiException.BadRequest("the body of the request was empty");
        }
        String ct = contentType == null ? "application/json" : contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String base = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        return switch (base) {
            case "application/json", "application/json-patch+json", "application/merge-patch+json",
                 "application/strategic-merge-patch+json", "application/apply-patch+json", "" ->
                    json(body, validation, warnings, kind);
            case "application/yaml", "application/apply-patch+yaml", "application/x-yaml", "text/yaml" ->
                    yaml(body);
            case "application/vnd.kubernetes.protobuf" -> {
                if (protobuf == null) {
                    throw new ApiException.UnsupportedMediaType(contentType);
                }
                yield protobuf.decode(body);
            }
            default -> throw new ApiException.UnsupportedMediaType(contentType);
        };
    }

    private static JsonNode json(byte[] body, FieldValidation validation, Warnings warnings, String kind) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate Object property")) {
                String field = msg.replaceAll(".*\"(.*)\".*", "$1");
                if (validation == FieldValidation.STRICT) {
                    throw new ApiException.BadRequest("strict decoding error: json: duplicate field \"" + field + "\"");
                }
                if (validation == FieldValidation.WARN) {
                    warnings.add("duplicate field \"" + field + "\"");
                }
                try {
                    return LENIENT.readTree(body);
                } catch (JacksonException again) {
                    throw new ApiException.BadRequest(Json.describe(again));
                }
            }
            String goError = io.kubevisor.api.GoJsonSyntax.describe(body);
            if (kind != null && goError != null) {
                String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                throw new ApiException.BadRequest("the object provided is unrecognized (must be of type " + kind
                        + "): couldn't get version/kind; json parse error: " + goError + " ("
                        + (text.length() > 50 ? text.substring(0, 50) : text) + ")");
            }
            throw new ApiException.BadRequest(Json.describe(e));
        }
    }

    private static JsonNode yaml(byte[] body) {
        try {
            JsonNode n = YAML.readTree(body);
            return n == null ? Json.object() : n;
        } catch (JacksonException e) {
            throw new ApiException.BadRequest("error converting YAML to JSON: " + e.getOriginalMessage());
        }
    }

    private static void checkKind(ObjectNode obj, GroupVersionKind expected) {
        String apiVersion = obj.path("apiVersion").asString("");
        String kind = obj.path("kind").asString("");
        if (apiVersion.isEmpty()) {
            obj.put("apiVersion", expected.apiVersion());
        } else if (!apiVersion.equals(expected.apiVersion())) {
            throw new ApiException.BadRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + expected.apiVersion() + ")");
        }
        if (kind.isEmpty()) {
            obj.put("kind", expected.kind());
        } else if (!kind.equals(expected.kind())) {
            throw new ApiException.BadRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + expected.kind() + ")");
        }
    }

    private static String abbreviate(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

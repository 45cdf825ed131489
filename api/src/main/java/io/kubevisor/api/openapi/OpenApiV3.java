package io.kubevisor.api.openapi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.api.schema.BuiltinSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v3 as Kubernetes serves it: an index at {@code /openapi/v3} and one document per group
 * version at {@code /openapi/v3/<prefix>} (e.g. {@code /openapi/v3/apis/apps/v1}). kubectl
 * 1.29+ reads these to validate {@code create|apply|replace -f} (it needs a PATCH operation with
 * the object's GVK and a {@code fieldValidation} parameter) and for {@code explain}.
 *
 * <p>Pure functions of the catalog: thread-safe, each call builds afresh (the caller caches the
 * bytes), and returned arrays belong to the caller.
 */
public final class OpenApiV3 {

    private static final List<String> OBJECT_TYPES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf");
    private static final List<String> LIST_TYPES = List.of("application/json", "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf;stream=watch",
            "application/yaml");
    private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml",
            "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");

    private OpenApiV3() {
    }

    /**
     * The discovery index: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"},...}}}
     * with one entry per group version of the catalog. {@code H} is the upper-case hex SHA-512 of
     * the bytes {@link #document} returns for that group version, so a client's cache stays valid
     * exactly as long as the document does. URLs carry no path prefix (clients add their own).
     */
    public static byte[] index(ResourceCatalog catalog) {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        for (String group : catalog.groups()) {
            for (String version : catalog.versions(group)) {
                String prefix = ApiPaths.prefix(group, version);
                String hash = hash(document(catalog, group, version));
                paths.putObject(prefix).put("serverRelativeURL", "/openapi/v3/" + prefix + "?hash=" + hash);
            }
        }
        return Json.bytes(root);
    }

    /** The path key of a group version in the index and the URL: {@code api/v1}, {@code apis/apps/v1}. */
    public static String prefix(String group, String version) {
        return ApiPaths.prefix(group, version);
    }

    /**
     * The OpenAPI 3.0 document of one group version: every path and operation of its resources
     * and, under {@code components.schemas}, every definition they reach. A group version the
     * catalog does not serve yields a document without paths.
     */
    public static byte[] document(ResourceCatalog catalog, String group, String version) {
        BuiltinSchemas builtin = BuiltinSchemas.load();
        KindDefinitions defs = new KindDefinitions(builtin, catalog);
        List<ApiPaths.PathItem> items = ApiPaths.of(catalog, group, version, defs);

        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode paths = doc.putObject("paths");
        Set<String> roots = new LinkedHashSet<>();
        for (ApiPaths.PathItem item : items) {
            paths.set(item.path(), pathItem(item, group, version, roots));
        }
        for (ResourceType r : catalog.resources(group, version)) {
            roots.add(defs.kind(r.gvk()));
        }
        if (!items.isEmpty()) {
            roots.addAll(ApiPaths.commonDefinitions());
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        defs.closure(roots).forEach((name, def) -> schemas.set(name, toV3(def)));
        ObjectNode bearer = components.putObject("securitySchemes").putObject("BearerToken");
        bearer.put("description", "Bearer Token authentication").put("in", "header").put("name", "authorization")
                .put("type", "apiKey");
        return Json.bytes(doc);
    }

    private static ObjectNode pathItem(ApiPaths.PathItem item, String group, String version, Set<String> roots) {
        ObjectNode node = Json.object();
        for (ApiPaths.Operation op : item.operations()) {
            node.set(op.method(), operation(op, group, version, roots));
        }
        ArrayNode params = node.putArray("parameters");
        item.parameters().forEach(p -> params.add(parameter(p)));
        return node;
    }

    private static ObjectNode operation(ApiPaths.Operation op, String group, String version, Set<String> roots) {
        ObjectNode node = Json.object();
        node.put("description", op.description());
        node.put("operationId", op.operationId());
        if (!op.query().isEmpty()) {
            ArrayNode params = node.putArray("parameters");
            op.query().forEach(p -> params.add(parameter(p)));
        }
        switch (op.request()) {
            case NONE -> {
            }
            case OBJECT -> requestBody(node, List.of("*/*"), op.requestDefinition(), true);
            case PATCH -> requestBody(node, PATCH_TYPES, op.requestDefinition(), true);
            case DELETE_OPTIONS -> requestBody(node, List.of("*/*"), op.requestDefinition(), false);
        }
        if (op.requestDefinition() != null) {
            roots.add(op.requestDefinition());
        }
        roots.add(op.response());
        ObjectNode responses = node.putObject("responses");
        for (int code : op.codes()) {
            ObjectNode r = responses.putObject(Integer.toString(code));
            ObjectNode content = r.putObject("content");
            for (String type : op.list() ? LIST_TYPES : OBJECT_TYPES) {
                content.putObject(type).putObject("schema").put("$ref", schemaRef(op.response()));
            }
            r.put("description", switch (code) {
                case 201 -> "Created";
                case 202 -> "Accepted";
                default -> "OK";
            });
        }
        responses.putObject("401").put("description", "Unauthorized");
        node.putArray("tags").add(ApiPaths.tag(group, version));
        node.put("x-kubernetes-action", op.action());
        node.putObject("x-kubernetes-group-version-kind").put("group", op.gvk().group()).put("kind", op.gvk().kind())
                .put("version", op.gvk().version());
        return node;
    }

    private static void requestBody(ObjectNode op, List<String> types, String definition, boolean required) {
        ObjectNode body = op.putObject("requestBody");
        ObjectNode content = body.putObject("content");
        for (String t : types) {
            content.putObject(t).putObject("schema").put("$ref", schemaRef(definition));
        }
        if (required) {
            body.put("required", true);
        }
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode n = Json.object();
        n.put("description", p.description());
        n.put("in", p.in());
        n.put("name", p.name());
        if (p.required()) {
            n.put("required", true);
        }
        n.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return n;
    }

    private static String schemaRef(String definition) {
        return "#/components/schemas/" + definition;
    }

    /**
     * Converts a v2 definition to Kubernetes' v3 form: refs point into components, a ref with
     * siblings (description, default) is wrapped as {@code allOf: [{$ref}]}, and Kubevisor's
     * private extensions are dropped.
     */
    static JsonNode toV3(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = Json.array();
            node.forEach(e -> out.add(toV3(e)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = Json.object();
        JsonNode ref = node.get("$ref");
        boolean wrap = ref != null && node.size() > 1 + privateKeys(node);
        if (wrap) {
            out.putArray("allOf").addObject().put("$ref", v3Ref(ref.asString()));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (key.startsWith("x-kubevisor-")) {
                continue;
            }
            if (key.equals("$ref")) {
                if (!wrap) {
                    out.put("$ref", v3Ref(e.getValue().asString()));
                }
            } else if (key.equals("properties") && e.getValue().isObject()) {
                ObjectNode props = out.putObject("properties");
                e.getValue().properties().forEach(p -> props.set(p.getKey(), toV3(p.getValue())));
            } else if (key.equals("default") || key.equals("enum") || key.startsWith("x-kubernetes-")) {
                out.set(key, e.getValue().deepCopy());
            } else {
                out.set(key, toV3(e.getValue()));
            }
        }
        return out;
    }

    private static int privateKeys(JsonNode node) {
        int n = 0;
        for (String k : node.propertyNames()) {
            if (k.startsWith("x-kubevisor-")) {
                n++;
            }
        }
        return n;
    }

    private static String v3Ref(String v2) {
        return v2.replace("#/definitions/", "#/components/schemas/");
    }

    static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(bytes);
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

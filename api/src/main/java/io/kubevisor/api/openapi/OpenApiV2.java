package io.kubevisor.api.openapi;

import java.util.LinkedHashSet;
import java.util.List;
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
 * The Swagger 2.0 document served at {@code /openapi/v2}: all group versions in one document.
 * kubectl 1.27 and 1.28 read it (as gnostic protobuf only) to validate {@code create -f} and
 * for {@code explain}; newer kubectl reads it during {@code apply}.
 *
 * <p>Pure functions of the catalog: thread-safe; the caller caches the bytes and owns them.
 */
public final class OpenApiV2 {

    /** The content type to answer a protobuf request with. kubectl rejects the {@code @} form it asks for. */
    public static final String PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private OpenApiV2() {
    }

    /** The document as Swagger 2.0 JSON. */
    public static byte[] json(ResourceCatalog catalog) {
        return Json.bytes(tree(catalog));
    }

    /** The document as a gnostic {@code openapi.v2.Document} protobuf message. */
    public static byte[] protobuf(ResourceCatalog catalog) {
        return GnosticEncoder.document(tree(catalog));
    }

    static ObjectNode tree(ResourceCatalog catalog) {
        KindDefinitions defs = new KindDefinitions(BuiltinSchemas.load(), catalog);
        ObjectNode doc = Json.object();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        Set<String> roots = new LinkedHashSet<>();
        for (String group : catalog.groups()) {
            for (String version : catalog.versions(group)) {
                for (ApiPaths.PathItem item : ApiPaths.of(catalog, group, version, defs)) {
                    paths.set(item.path(), pathItem(item, group, version, roots));
                }
            }
        }
        for (ResourceType r : catalog.all()) {
            roots.add(defs.kind(r.gvk()));
        }
        roots.addAll(ApiPaths.commonDefinitions());
        ObjectNode definitions = doc.putObject("definitions");
        defs.closure(roots).forEach((name, def) -> definitions.set(name, toV2(def)));
        ObjectNode bearer = doc.putObject("securityDefinitions").putObject("BearerToken");
        bearer.put("description", "Bearer Token authentication").put("in", "header").put("name", "authorization")
                .put("type", "apiKey");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
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
        ArrayNode consumes = node.putArray("consumes");
        switch (op.request()) {
            case PATCH -> List.of("application/json-patch+json", "application/merge-patch+json",
                    "application/strategic-merge-patch+json", "application/apply-patch+yaml").forEach(consumes::add);
            default -> consumes.add("*/*");
        }
        ArrayNode produces = node.putArray("produces");
        List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf").forEach(produces::add);
        if (op.list()) {
            produces.add("application/json;stream=watch").add("application/vnd.kubernetes.protobuf;stream=watch");
        }
        node.putArray("schemes").add("https");
        node.putArray("tags").add(ApiPaths.tag(group, version));
        node.put("operationId", op.operationId());
        ArrayNode params = node.putArray("parameters");
        if (op.request() != ApiPaths.Body.NONE) {
            ObjectNode body = params.addObject();
            body.put("name", "body").put("in", "body");
            if (op.request() != ApiPaths.Body.DELETE_OPTIONS) {
                body.put("required", true);
            }
            body.putObject("schema").put("$ref", "#/definitions/" + op.requestDefinition());
            roots.add(op.requestDefinition());
        }
        op.query().forEach(p -> params.add(parameter(p)));
        if (params.isEmpty()) {
            node.remove("parameters");
        }
        roots.add(op.response());
        ObjectNode responses = node.putObject("responses");
        for (int code : op.codes()) {
            ObjectNode r = responses.putObject(Integer.toString(code));
            r.put("description", switch (code) {
                case 201 -> "Created";
                case 202 -> "Accepted";
                default -> "OK";
            });
            r.putObject("schema").put("$ref", "#/definitions/" + op.response());
        }
        responses.putObject("401").put("description", "Unauthorized");
        node.put("x-kubernetes-action", op.action());
        node.putObject("x-kubernetes-group-version-kind").put("group", op.gvk().group()).put("kind", op.gvk().kind())
                .put("version", op.gvk().version());
        return node;
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode n = Json.object();
        n.put("uniqueItems", true);
        n.put("type", p.type());
        n.put("description", p.description());
        n.put("name", p.name());
        n.put("in", p.in());
        if (p.required()) {
            n.put("required", true);
        }
        return n;
    }

    /**
     * Converts a definition to Swagger 2.0: {@code oneOf} (Quantity, IntOrString) becomes
     * {@code type: string} as Kubernetes' v2 has it, and Kubevisor's private extensions go.
     */
    static JsonNode toV2(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = Json.array();
            node.forEach(e -> out.add(toV2(e)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (key.startsWith("x-kubevisor-")) {
                continue;
            }
            if (key.equals("oneOf")) {
                out.put("type", "string");
            } else if (key.equals("properties") && e.getValue().isObject()) {
                ObjectNode props = out.putObject("properties");
                e.getValue().properties().forEach(p -> props.set(p.getKey(), toV2(p.getValue())));
            } else if (key.equals("default") || key.equals("enum") || key.startsWith("x-kubernetes-")) {
                out.set(key, e.getValue().deepCopy());
            } else {
                out.set(key, toV2(e.getValue()));
            }
        }
        return out;
    }
}

package io.kubevisor.api.openapi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.api.schema.BuiltinSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v2 definitions (refs as {@code #/definitions/...}) for the kinds of a catalog: the
 * built-in schemas where one exists, otherwise an open schema that only fixes apiVersion, kind
 * and metadata (kinds Kubevisor adds, such as tenants), so clients can still find the kind.
 * Not thread-safe; build one per document.
 */
final class KindDefinitions {

    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

    private final BuiltinSchemas builtin;
    private final Map<String, ObjectNode> synthetic = new LinkedHashMap<>();

    KindDefinitions(BuiltinSchemas builtin, ResourceCatalog catalog) {
        this.builtin = builtin;
        for (ResourceType r : catalog.all()) {
            if (builtin.definitionName(r.gvk()).isEmpty()) {
                String name = syntheticName(r.gvk());
                synthetic.put(name, openKind(r.gvk()));
                GroupVersionKind listGvk = new GroupVersionKind(r.group(), r.version(), r.listKind());
                if (builtin.definitionName(listGvk).isEmpty()) {
                    synthetic.put(syntheticName(listGvk), openList(listGvk, name));
                }
            }
        }
    }

    /** The definition name of a kind. */
    String kind(GroupVersionKind gvk) {
        return builtin.definitionName(gvk).orElseGet(() -> syntheticName(gvk));
    }

    /** The definition name of a kind's list. */
    String list(GroupVersionKind gvk) {
        return kind(new GroupVersionKind(gvk.group(), gvk.version(), gvk.kind() + "List"));
    }

    /**
     * Copies of the named definitions and everything they refer to, in a stable order: the
     * roots first, then what they reach.
     */
    Map<String, ObjectNode> closure(Collection<String> roots) {
        List<String> builtinRoots = new ArrayList<>();
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (String root : roots) {
            ObjectNode s = synthetic.get(root);
            if (s != null) {
                out.put(root, s.deepCopy());
                builtinRoots.add(OBJECT_META);
                builtinRoots.add(LIST_META);
            } else {
                builtinRoots.add(root);
            }
        }
        for (String name : builtin.closure(builtinRoots)) {
            builtin.rawDefinition(name).ifPresent(def -> out.put(name, (ObjectNode) def));
        }
        return out;
    }

    /** Kubernetes' naming of CRD definitions: the group reversed, then version and kind. */
    static String syntheticName(GroupVersionKind gvk) {
        List<String> parts = new ArrayList<>(List.of(gvk.group().split("\\.")));
        java.util.Collections.reverse(parts);
        String g = gvk.group().isEmpty() ? "core" : String.join(".", parts);
        return g + "." + gvk.version() + "." + gvk.kind();
    }

    private static ObjectNode openKind(GroupVersionKind gvk) {
        ObjectNode def = Json.object();
        def.put("description", gvk.kind() + " is a " + gvk.apiVersion() + " resource of this server.");
        def.put("type", "object");
        ObjectNode props = def.putObject("properties");
        props.set("apiVersion", typeMetaField("APIVersion of the object."));
        props.set("kind", typeMetaField("Kind of the object."));
        props.set("metadata", ref(OBJECT_META, "Standard object's metadata."));
        def.put("x-kubernetes-preserve-unknown-fields", true);
        gvkList(def, gvk);
        return def;
    }

    private static ObjectNode openList(GroupVersionKind gvk, String itemDefinition) {
        ObjectNode def = Json.object();
        def.put("description", gvk.kind() + " is a list of " + gvk.kind().replaceFirst("List$", "") + " objects.");
        def.put("type", "object");
        ObjectNode props = def.putObject("properties");
        props.set("apiVersion", typeMetaField("APIVersion of the list."));
        ObjectNode items = props.putObject("items");
        items.put("type", "array");
        items.set("items", ref(itemDefinition, null));
        props.set("kind", typeMetaField("Kind of the list."));
        props.set("metadata", ref(LIST_META, "Standard list metadata."));
        def.putArray("required").add("items");
        gvkList(def, gvk);
        return def;
    }

    private static JsonNode typeMetaField(String description) {
        return Json.object().put("description", description).put("type", "string");
    }

    private static ObjectNode ref(String definition, String description) {
        ObjectNode n = Json.object();
        if (description != null) {
            n.put("description", description);
        }
        n.put("$ref", "#/definitions/" + definition);
        return n;
    }

    private static void gvkList(ObjectNode def, GroupVersionKind gvk) {
        ArrayNode arr = def.putArray("x-kubernetes-group-version-kind");
        arr.addObject().put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
    }
}

package io.kubevisor.api.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;

/**
 * The REST paths and operations a group version serves, derived from the catalog the way
 * Kubernetes lays them out, independent of the OpenAPI version they are rendered in.
 */
final class ApiPaths {

    static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
    static final GroupVersionKind SCALE_GVK = new GroupVersionKind("autoscaling", "v1", "Scale");

    /** How an operation's body and answer are shaped. */
    enum Body { NONE, OBJECT, PATCH, DELETE_OPTIONS }

    /**
     * One operation.
     *
     * @param method    lower-case HTTP method
     * @param action    Kubernetes' {@code x-kubernetes-action}
     * @param request   what the request body is
     * @param response  definition name of the answer
     * @param list      whether the answer is a list (which may also be watched)
     */
    record Operation(String method, String action, String operationId, String description, GroupVersionKind gvk,
                     Body request, String requestDefinition, String response, boolean list, List<Parameter> query,
                     List<Integer> codes) {
    }

    /** One path with its path-level parameters and operations. */
    record PathItem(String path, List<Parameter> parameters, List<Operation> operations) {
    }

    private ApiPaths() {
    }

    /** The URL prefix of a group version, without a leading slash: {@code api/v1}, {@code apis/apps/v1}. */
    static String prefix(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    /** The tag Kubernetes groups a group version's operations under: {@code core_v1}, {@code rbacAuthorization_v1}. */
    static String tag(String group, String version) {
        String g = groupWord(group);
        return Character.toLowerCase(g.charAt(0)) + g.substring(1) + "_" + version;
    }

    /** The operationId word of a group: {@code Core}, {@code Apps}, {@code RbacAuthorization}. */
    static String groupWord(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        String g = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        StringBuilder b = new StringBuilder();
        for (String part : g.split("[.-]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    /** All paths of one group version, in catalog order. */
    static List<PathItem> of(ResourceCatalog catalog, String group, String version, KindDefinitions defs) {
        Map<String, PathItem> out = new LinkedHashMap<>();
        for (ResourceType r : catalog.resources(group, version)) {
            add(out, r, defs);
        }
        return List.copyOf(out.values());
    }

    private static void add(Map<String, PathItem> out, ResourceType r, KindDefinitions defs) {
        String base = "/" + prefix(r.group(), r.version());
        String coll = r.namespaced() ? base + "/namespaces/{namespace}/" + r.plural() : base + "/" + r.plural();
        String item = coll + "/{name}";
        String idBase = groupWord(r.group()) + capital(r.version());
        String ns = r.namespaced() ? "Namespaced" : "";
        String kindDef = defs.kind(r.gvk());
        String listDef = defs.list(r.gvk());
        List<Parameter> collParams = r.namespaced() ? List.of(Parameter.NAMESPACE, Parameter.PRETTY)
                : List.of(Parameter.PRETTY);
        List<Parameter> itemParams = r.namespaced()
                ? List.of(Parameter.NAME, Parameter.NAMESPACE, Parameter.PRETTY)
                : List.of(Parameter.NAME, Parameter.PRETTY);

        List<Operation> collOps = new ArrayList<>();
        if (r.supports("list")) {
            collOps.add(new Operation("get", "list", "list" + idBase + ns + r.kind(),
                    "list or watch objects of kind " + r.kind(), r.gvk(), Body.NONE, null, listDef, true,
                    Parameter.LIST, List.of(200)));
        }
        if (r.supports("create")) {
            collOps.add(new Operation("post", "post", "create" + idBase + ns + r.kind(), "create " + article(r.kind()),
                    r.gvk(), Body.OBJECT, kindDef, kindDef, false, Parameter.WRITE, List.of(200, 201, 202)));
        }
        if (r.supports("deletecollection")) {
            List<Parameter> q = new ArrayList<>(Parameter.LIST);
            q.addAll(Parameter.DELETE);
            collOps.add(new Operation("delete", "deletecollection", "delete" + idBase + "Collection" + ns + r.kind(),
                    "delete collection of " + r.kind(), r.gvk(), Body.DELETE_OPTIONS, DELETE_OPTIONS, STATUS, false,
                    q.stream().sorted(java.util.Comparator.comparing(Parameter::name)).toList(), List.of(200)));
        }
        put(out, coll, collParams, collOps);

        List<Operation> itemOps = objectOps(r, idBase + ns + r.kind(), r.kind(), r.gvk(), kindDef, true);
        put(out, item, itemParams, itemOps);

        if (r.namespaced() && r.supports("list")) {
            put(out, base + "/" + r.plural(), List.of(Parameter.PRETTY), List.of(new Operation("get", "list",
                    "list" + idBase + r.kind() + "ForAllNamespaces", "list or watch objects of kind " + r.kind(),
                    r.gvk(), Body.NONE, null, listDef, true, Parameter.LIST, List.of(200))));
        }
        if (r.has("status")) {
            put(out, item + "/status", itemParams,
                    objectOps(r, idBase + ns + r.kind() + "Status", "status of the specified " + r.kind(), r.gvk(),
                            kindDef, false));
        }
        if (r.has("scale")) {
            put(out, item + "/scale", itemParams,
                    objectOps(r, idBase + ns + r.kind() + "Scale", "scale of the specified " + r.kind(), SCALE_GVK,
                            SCALE, false));
        }
    }

    /** get/put/patch (and delete on the main resource) on one named object or its subresource. */
    private static List<Operation> objectOps(ResourceType r, String id, String what, GroupVersionKind gvk,
                                             String def, boolean main) {
        String subject = main ? "the specified " + what : what;
        List<Operation> ops = new ArrayList<>();
        if (r.supports("get")) {
            ops.add(new Operation("get", "get", "read" + id, "read " + subject, gvk, Body.NONE, null, def, false,
                    List.of(), List.of(200)));
        }
        if (r.supports("update")) {
            ops.add(new Operation("put", "put", "replace" + id, "replace " + subject, gvk, Body.OBJECT, def, def,
                    false, Parameter.WRITE, List.of(200, 201)));
        }
        if (r.supports("patch")) {
            ops.add(new Operation("patch", "patch", "patch" + id, "partially update " + subject, gvk, Body.PATCH,
                    PATCH, def, false, Parameter.PATCH, List.of(200, 201)));
        }
        if (main && r.supports("delete")) {
            ops.add(new Operation("delete", "delete", "delete" + id, "delete " + subject, gvk, Body.DELETE_OPTIONS,
                    DELETE_OPTIONS, STATUS, false, Parameter.DELETE, List.of(200, 202)));
        }
        return ops;
    }

    private static void put(Map<String, PathItem> out, String path, List<Parameter> params, List<Operation> ops) {
        if (!ops.isEmpty()) {
            out.put(path, new PathItem(path, params, List.copyOf(ops)));
        }
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String article(String kind) {
        return ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    /** Definition names every document with operations needs besides the kinds' own. */
    static List<String> commonDefinitions() {
        return List.of(STATUS, DELETE_OPTIONS, PATCH);
    }
}

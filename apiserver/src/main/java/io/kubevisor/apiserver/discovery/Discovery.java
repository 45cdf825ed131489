package io.kubevisor.apiserver.discovery;

import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discovery documents, legacy and aggregated, built once from the catalog (they never change
 * while a server runs).
 */
public final class Discovery {

    /** The media type of aggregated discovery, by version ("v2" or "v2beta1"). */
    public static String aggregatedMediaType(String version) {
        return "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList";
    }

    private final ResourceCatalog catalog;

    public Discovery(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    /** {@code GET /api}. */
    public ObjectNode coreVersions(String serverAddress) {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ArrayNode cidrs = o.putArray("serverAddressByClientCIDRs");
        cidrs.addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return o;
    }

    /** {@code GET /apis}. */
    public ObjectNode groupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (String g : catalog.groups()) {
            if (!g.isEmpty()) {
                groups.add(group(g));
            }
        }
        return o;
    }

    /** {@code GET /apis/<group>}, or null when the group is not served. */
    public ObjectNode group(String group) {
        List<String> versions = catalog.versions(group);
        if (versions.isEmpty() || group.isEmpty()) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("kind", "APIGroup");
        o.put("apiVersion", "v1");
        o.put("name", group);
        ArrayNode vs = o.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        o.putObject("preferredVersion").put("groupVersion", group + "/" + versions.getFirst())
                .put("version", versions.getFirst());
        return o;
    }

    /** {@code GET /api/v1} or {@code /apis/<group>/<version>}, or null when not served. */
    public ObjectNode resourceList(String group, String version) {
        if (!catalog.servesGroupVersion(group, version)) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode rs = o.putArray("resources");
        for (ResourceType r : sorted(group, version)) {
            ObjectNode e = rs.addObject();
            e.put("name", r.plural());
            e.put("singularName", r.singular());
            e.put("namespaced", r.namespaced());
            e.put("kind", r.kind());
            verbs(e.putArray("verbs"), r.verbs());
            if (!r.shortNames().isEmpty()) {
                verbs(e.putArray("shortNames"), r.shortNames());
            }
            if (!r.categories().isEmpty()) {
                verbs(e.putArray("categories"), r.categories());
            }
            for (String sub : r.subresources()) {
                ObjectNode s = rs.addObject();
                s.put("name", r.plural() + "/" + sub);
                s.put("singularName", "");
                s.put("namespaced", r.namespaced());
                if (sub.equals("scale")) {
                    s.put("group", "autoscaling");
                    s.put("version", "v1");
                    s.put("kind", "Scale");
                } else {
                    s.put("kind", subresourceKind(sub, r.kind()));
                }
                verbs(s.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return o;
    }

    /** Resources of a group version sorted by name, as kube-apiserver lists them (kubectl get all follows it). */
    private List<ResourceType> sorted(String group, String version) {
        List<ResourceType> rs = new java.util.ArrayList<>(catalog.resources(group, version));
        rs.sort(java.util.Comparator.comparing(ResourceType::plural));
        return rs;
    }

    private static String subresourceKind(String sub, String kind) {
        return switch (sub) {
            case "binding" -> "Binding";
            case "exec" -> "PodExecOptions";
            case "attach" -> "PodAttachOptions";
            case "portforward" -> "PodPortForwardOptions";
            default -> kind;
        };
    }

    private static List<String> subresourceVerbs(String sub) {
        return switch (sub) {
            case "finalize" -> List.of("update");
            case "binding" -> List.of("create");
            case "log" -> List.of("get");
            case "exec", "attach", "portforward" -> List.of("create", "get");
            default -> List.of("get", "patch", "update");
        };
    }

    private static void verbs(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /**
     * Aggregated discovery: {@code GET /api} ({@code core} true) or {@code GET /apis}, as
     * APIGroupDiscoveryList in the requested version ("v2" or "v2beta1").
     */
    public ObjectNode aggregated(boolean core, String version) {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupDiscoveryList");
        o.put("apiVersion", "apidiscovery.k8s.io/" + version);
        o.putObject("metadata");
        ArrayNode items = o.putArray("items");
        for (String g : catalog.groups()) {
            if (core != g.isEmpty()) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", g);
            ArrayNode versions = item.putArray("versions");
            for (String v : catalog.versions(g)) {
                ObjectNode ver = versions.addObject();
                ver.put("version", v);
                ArrayNode resources = ver.putArray("resources");
                for (ResourceType r : sorted(g, v)) {
                    ObjectNode e = resources.addObject();
                    e.put("resource", r.plural());
                    e.putObject("responseKind").put("group", g).put("version", v).put("kind", r.kind());
                    e.put("scope", r.namespaced() ? "Namespaced" : "Cluster");
                    e.put("singularResource", r.singular());
                    verbs(e.putArray("verbs"), r.verbs());
                    if (!r.shortNames().isEmpty()) {
                        verbs(e.putArray("shortNames"), r.shortNames());
                    }
                    if (!r.categories().isEmpty()) {
                        verbs(e.putArray("categories"), r.categories());
                    }
                    if (!r.subresources().isEmpty()) {
                        ArrayNode subs = e.putArray("subresources");
                        for (String sub : r.subresources()) {
                            ObjectNode s = subs.addObject();
                            s.put("subresource", sub);
                            ObjectNode kind = s.putObject("responseKind");
                            if (sub.equals("scale")) {
                                kind.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
                            } else {
                                kind.put("group", g).put("version", v)
                                        .put("kind", subresourceKind(sub, r.kind()));
                            }
                            verbs(s.putArray("verbs"), subresourceVerbs(sub));
                        }
                    }
                }
                ver.put("freshness", "Current");
            }
        }
        return o;
    }
}

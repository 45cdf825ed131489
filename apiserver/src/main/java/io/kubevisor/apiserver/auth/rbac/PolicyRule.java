package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code rules[]} entry of a Role or ClusterRole, with Kubernetes' matching semantics. Immutable.
 *
 * @param verbs           verbs, or {@code *}
 * @param apiGroups       API groups ("" = core), or {@code *}
 * @param resources       {@code pods}, {@code pods/log}, {@code * /scale} (without the space), or {@code *}
 * @param resourceNames   object names; empty = any
 * @param nonResourceURLs paths such as {@code /healthz}, with an optional trailing {@code *}
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {

    static final String ALL = "*";

    public PolicyRule {
        verbs = copy(verbs);
        apiGroups = copy(apiGroups);
        resources = copy(resources);
        resourceNames = copy(resourceNames);
        nonResourceURLs = copy(nonResourceURLs);
    }

    /** A resource rule. */
    public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
    }

    /** A non-resource rule. */
    public static PolicyRule urls(List<String> verbs, List<String> nonResourceURLs) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), nonResourceURLs);
    }

    /** Reads a rule from its JSON form; missing lists are empty. */
    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")),
                strings(rule.path("resources")), strings(rule.path("resourceNames")),
                strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a Role or ClusterRole object. */
    public static List<PolicyRule> listFrom(JsonNode role) {
        var out = new ArrayList<PolicyRule>();
        for (JsonNode r : role.path("rules")) {
            out.add(fromJson(r));
        }
        return out;
    }

    /** The JSON form, omitting empty lists except {@code verbs}. */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        put(n, "verbs", verbs, true);
        put(n, "apiGroups", apiGroups, false);
        put(n, "resources", resources, false);
        put(n, "resourceNames", resourceNames, false);
        put(n, "nonResourceURLs", nonResourceURLs, false);
        return n;
    }

    /** True if this rule allows the request, as Kubernetes' {@code RuleAllows}. */
    public boolean allows(Attributes a) {
        if (!matches(verbs, a.verb())) {
            return false;
        }
        if (!a.resourceRequest()) {
            return nonResourceUrlMatches(a.path());
        }
        String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        return matches(apiGroups, a.apiGroup())
                && resourceMatches(combined, a.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    private boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    private boolean nonResourceUrlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(path)) {
                return true;
            }
            if (u.endsWith(ALL) && path.startsWith(u.substring(0, u.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains(ALL) || allowed.contains(value);
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        for (JsonNode s : array) {
            out.add(s.asString(""));
        }
        return out;
    }

    private static void put(ObjectNode n, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) {
            return;
        }
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }
}

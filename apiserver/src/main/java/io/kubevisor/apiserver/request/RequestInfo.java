package io.kubevisor.apiserver.request;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request is about, parsed from its path and method the way Kubernetes'
 * RequestInfoFactory does: API group and version, namespace, resource, subresource, name and
 * the RBAC verb.
 *
 * @param resourceRequest false for non-resource URLs (/version, /healthz, discovery roots)
 * @param path            the path (without the server's path prefix)
 * @param verb            RBAC verb: get, list, watch, create, update, patch, delete,
 *                        deletecollection, or the lower-case HTTP method for non-resource URLs
 * @param apiPrefix       "api" or "apis" for resource requests
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiPrefix, String group,
                          String version, String namespace, String resource, String subresource, String name) {

    private static final java.util.Set<String> NAMESPACE_SUBRESOURCES = java.util.Set.of("status", "finalize");

    /**
     * Parses a request.
     *
     * @param path   the decoded path without prefix, e.g. {@code /api/v1/namespaces/default/pods}
     * @param method the HTTP method
     * @param query  the query, for {@code watch=true}
     */
    public static RequestInfo parse(String path, String method, Query query) {
        String lowerMethod = method.toLowerCase();
        List<String> parts = split(path);
        if (parts.isEmpty() || !(parts.getFirst().equals("api") || parts.getFirst().equals("apis"))) {
            return nonResource(path, lowerMethod);
        }
        String prefix = parts.getFirst();
        int i = 1;
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.size() < 3) {
                return nonResource(path, lowerMethod);
            }
            group = parts.get(i++);
        } else if (parts.size() < 2) {
            return nonResource(path, lowerMethod);
        }
        String version = parts.get(i++);
        if (i >= parts.size()) {
            return nonResource(path, lowerMethod);
        }
        List<String> rest = new ArrayList<>(parts.subList(i, parts.size()));
        boolean watchPath = false;
        if (rest.getFirst().equals("watch")) {
            watchPath = true;
            rest.removeFirst();
            if (rest.isEmpty()) {
                return nonResource(path, lowerMethod);
            }
        }
        String namespace = "";
        // /namespaces/{ns}/{resource}/... is a namespaced resource; /namespaces/{name}[/status|/finalize]
        // is the namespace itself.
        if (rest.getFirst().equals("namespaces") && rest.size() >= 2) {
            namespace = rest.get(1);
            if (rest.size() >= 3 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.getFirst();
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String sub = rest.size() >= 3 ? rest.get(2) : "";
        if (rest.size() > 3 && !sub.equals("proxy")) {
            return nonResource(path, lowerMethod);
        }
        String verb = switch (lowerMethod) {
            case "post" -> "create";
            case "get", "head" -> name.isEmpty() ? "list" : "get";
            case "put" -> "update";
            case "patch" -> "patch";
            case "delete" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> lowerMethod;
        };
        if ((verb.equals("list") || verb.equals("get")) && (watchPath || query.flag("watch"))) {
            verb = "watch";
        }
        return new RequestInfo(true, path, verb, prefix, group, version, namespace, resource, sub, name);
    }

    private static RequestInfo nonResource(String path, String method) {
        return new RequestInfo(false, path, method, "", "", "", "", "", "", "");
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}

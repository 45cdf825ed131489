package io.kubevisor.apiserver.auth.rbac;

import java.util.Objects;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.auth.authn.UserInfo;

/**
 * What a request wants to do, in the terms RBAC rules are written in. Immutable. Null strings
 * become "".
 *
 * @param user            who asks
 * @param verb            RBAC verb: get, list, watch, create, update, patch, delete,
 *                        deletecollection, impersonate, ... (for non-resource requests the
 *                        lower-case HTTP method: get, post, put, ...)
 * @param namespace       the namespace, "" for cluster-scoped requests (for the namespaces
 *                        resource, the request info sets this to the namespace's name, as Kubernetes does)
 * @param apiGroup        "" for the core group
 * @param resource        plural resource name, e.g. pods
 * @param subresource     e.g. log, status, exec; "" for none
 * @param name            object name, "" for collections and creates without a name
 * @param resourceRequest true for an API resource request, false for a non-resource URL
 * @param path            the URL path; used for non-resource requests
 */
public record Attributes(UserInfo user, String verb, String namespace, String apiGroup, String resource,
                         String subresource, String name, boolean resourceRequest, String path) {

    public Attributes {
        Objects.requireNonNull(user, "user");
        verb = nz(verb);
        namespace = nz(namespace);
        apiGroup = nz(apiGroup);
        resource = nz(resource);
        subresource = nz(subresource);
        name = nz(name);
        path = nz(path);
    }

    /** A resource request. */
    public static Attributes resource(UserInfo user, String verb, String namespace, String apiGroup, String resource,
                                      String subresource, String name) {
        return new Attributes(user, verb, namespace, apiGroup, resource, subresource, name, true, "");
    }

    /** A non-resource request, e.g. {@code get /healthz}. */
    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, "", "", "", "", "", false, path);
    }

    /**
     * The 403 Kubernetes answers when this request is denied, e.g. {@code pods "x" is forbidden: User
     * "bob" cannot get resource "pods" in API group "" in the namespace "default"}.
     *
     * @param reason the authorizer's reason; appended after ": " when non-empty
     */
    public ApiException.Forbidden forbidden(String reason) {
        if (!resourceRequest) {
            return ApiException.Forbidden.nonResource(user.name(), verb, path, reason);
        }
        return ApiException.Forbidden.rbac(user.name(), verb, apiGroup, resource, subresource, namespace, name,
                reason);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

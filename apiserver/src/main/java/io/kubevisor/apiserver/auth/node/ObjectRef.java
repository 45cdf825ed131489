package io.kubevisor.apiserver.auth.node;

import java.util.Objects;

/**
 * A namespaced object a pod refers to, which its node may read while the pod is bound to it.
 * Immutable; equal when kind, namespace and name are.
 */
public record ObjectRef(Kind kind, String namespace, String name) {

    /** The kinds of object a pod refers to that the node authorizer guards. */
    public enum Kind {
        SECRET("secrets"), CONFIGMAP("configmaps"), PERSISTENTVOLUMECLAIM("persistentvolumeclaims"),
        SERVICEACCOUNT("serviceaccounts");

        private final String plural;

        Kind(String plural) {
            this.plural = plural;
        }

        /** The core group resource, e.g. {@code secrets}. */
        public String plural() {
            return plural;
        }
    }

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }
}

package io.kubevisor.apiserver.auth.rbac;

/** Decides whether a request is allowed. */
public interface Authorizer {
    Decision authorize(Attributes attributes);
}

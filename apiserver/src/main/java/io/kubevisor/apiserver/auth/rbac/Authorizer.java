package io.kubevisor.apiserver.auth.rbac;

/** Decides whether a request may proceed. Implementations are thread-safe. */
@FunctionalInterface
public interface Authorizer {

    /**
     * Decides one request. Must not block on the network: it runs on every request.
     *
     * @return allow or deny, never null; a deny's reason is appended to the 403 message when non-empty
     */
    Decision authorize(Attributes attributes);
}

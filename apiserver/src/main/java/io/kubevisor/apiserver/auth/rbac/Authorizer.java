package io.kubevisor.apiserver.auth.rbac;

/** Decides whether a request may proceed. Implementations are thread-safe. */
@FunctionalInterface
public interface Authorizer {

    /**
     * Decides one request. Must not block on the network: it runs on every request.
     *
     * @return allow, deny or no opinion, never null; when the request is refused, the reason is
     *         appended to the 403 message if non-empty
     */
    Decision authorize(Attributes attributes);
}

package io.kubevisor.node.kubelet;

import java.util.List;

/**
 * Decides whether an authenticated caller may use a kubelet path, in the kubelet's terms: a verb
 * ({@code get}, {@code create}, ...) on the node's subresource ({@code proxy}, {@code stats},
 * {@code log}, ...). Implementations are thread-safe.
 */
@FunctionalInterface
public interface KubeletAuthorizer {

    /**
     * @return whether {@code user} in {@code groups} may {@code verb} {@code nodes/<subresource>}
     *         of this node; may block (e.g. to ask the API server)
     */
    boolean allowed(String user, List<String> groups, String verb, String subresource);

    /**
     * Lets every caller whose certificate the client CA signed do anything: only for a CA that
     * signs nothing but the API server's kubelet-client certificate.
     */
    static KubeletAuthorizer anyAuthenticated() {
        return (user, groups, verb, subresource) -> true;
    }
}

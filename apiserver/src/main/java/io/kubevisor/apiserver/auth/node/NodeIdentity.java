package io.kubevisor.apiserver.auth.node;

import java.util.Optional;

import io.kubevisor.apiserver.auth.authn.UserInfo;

/**
 * A node's credentials, recognised as Kubernetes' default node identifier does: the user name is
 * {@code system:node:<nodeName>} and the user is in group {@value #GROUP}. A user with only one
 * of the two is not a node. Immutable.
 *
 * @param nodeName the node's name; "" when the user name has the prefix and nothing after it
 *                 (a node that cannot be told apart, which both node checks refuse)
 */
public record NodeIdentity(String nodeName) {

    /** Every node's group. */
    public static final String GROUP = "system:nodes";
    /** Node user names start with this. */
    public static final String USER_PREFIX = "system:node:";

    /** The node a user is, or empty when the user is not a node. */
    public static Optional<NodeIdentity> of(UserInfo user) {
        if (!user.name().startsWith(USER_PREFIX) || !user.inGroup(GROUP)) {
            return Optional.empty();
        }
        return Optional.of(new NodeIdentity(user.name().substring(USER_PREFIX.length())));
    }

    /** True if the user name names no node. */
    public boolean unknown() {
        return nodeName.isEmpty();
    }
}

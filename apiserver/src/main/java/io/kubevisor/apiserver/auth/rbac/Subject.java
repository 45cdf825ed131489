package io.kubevisor.apiserver.auth.rbac;

import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.JsonNode;

/**
 * One {@code subjects[]} entry of a binding. Immutable.
 *
 * @param kind      User, Group or ServiceAccount
 * @param name      user, group or service account name
 * @param namespace the service account's namespace ("" = the binding's namespace)
 */
record Subject(String kind, String name, String namespace) {

    static Subject fromJson(JsonNode n) {
        return new Subject(n.path("kind").asString(""), n.path("name").asString(""),
                n.path("namespace").asString(""));
    }

    /** Kubernetes' {@code appliesToUser}. */
    boolean appliesTo(UserInfo user, String bindingNamespace) {
        return switch (kind) {
            case "User" -> user.name().equals(name);
            case "Group" -> user.inGroup(name);
            case "ServiceAccount" -> {
                // A RoleBinding may name a service account of its own namespace without saying so.
                String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                yield !ns.isEmpty() && user.name().equals(UserInfo.serviceAccountName(ns, name));
            }
            default -> false;
        };
    }

    /** As Kubernetes words it in an "allowed by" reason. */
    String describe(String bindingNamespace) {
        if (kind.equals("ServiceAccount")) {
            return kind + " \"" + name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace) + "\"";
        }
        return kind + " \"" + name + "\"";
    }
}

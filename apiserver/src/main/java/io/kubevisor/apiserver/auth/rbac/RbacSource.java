package io.kubevisor.apiserver.auth.rbac;

import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The RBAC objects the authorizer reads: plain {@code rbac.authorization.k8s.io/v1} JSON
 * (Role, ClusterRole, RoleBinding, ClusterRoleBinding). The API server backs this with its watch
 * cache. Implementations are thread-safe, answer from memory, and return nodes the caller must not
 * modify.
 */
public interface RbacSource {

    /** Roles in a namespace. */
    List<JsonNode> roles(String namespace);

    /** RoleBindings in a namespace. */
    List<JsonNode> roleBindings(String namespace);

    /** All ClusterRoles. */
    List<JsonNode> clusterRoles();

    /** All ClusterRoleBindings. */
    List<JsonNode> clusterRoleBindings();

    /** One Role, if it exists. */
    Optional<JsonNode> role(String namespace, String name);

    /** One ClusterRole, if it exists. */
    Optional<JsonNode> clusterRole(String name);
}

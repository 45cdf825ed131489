package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * An {@link RbacSource} over a fixed set of objects, told apart by {@code kind}: for bootstrap-time
 * evaluation (before the store is up) and for tests. Immutable and thread-safe.
 */
public final class SnapshotRbacSource implements RbacSource {

    private final List<JsonNode> objects;

    /** @param objects Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in any order */
    public SnapshotRbacSource(Collection<? extends JsonNode> objects) {
        this.objects = objects.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    public static SnapshotRbacSource of(JsonNode... objects) {
        return new SnapshotRbacSource(List.of(objects));
    }

    /** This snapshot plus more objects. */
    public SnapshotRbacSource with(Collection<? extends JsonNode> more) {
        var all = new ArrayList<JsonNode>(objects);
        all.addAll(more);
        return new SnapshotRbacSource(all);
    }

    @Override
    public List<JsonNode> roles(String namespace) {
        return select("Role", namespace);
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return select("RoleBinding", namespace);
    }

    @Override
    public List<JsonNode> clusterRoles() {
        return select("ClusterRole", null);
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return select("ClusterRoleBinding", null);
    }

    @Override
    public Optional<JsonNode> role(String namespace, String name) {
        return roles(namespace).stream().filter(n -> name.equals(n.path("metadata").path("name").asString(""))).findFirst();
    }

    @Override
    public Optional<JsonNode> clusterRole(String name) {
        return clusterRoles().stream().filter(n -> name.equals(n.path("metadata").path("name").asString(""))).findFirst();
    }

    private List<JsonNode> select(String kind, String namespace) {
        return objects.stream()
                .filter(n -> kind.equals(n.path("kind").asString("")))
                .filter(n -> namespace == null || namespace.equals(n.path("metadata").path("namespace").asString("")))
                .toList();
    }
}

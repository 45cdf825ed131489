package io.kubevisor.controllers.namespace;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

/**
 * What the namespace controller may do, as RBAC objects: read and update namespaces (and their
 * status and finalize subresources), and list and delete anything in any namespace. Stateless.
 */
public final class NamespaceControllerRbac {

    /** The ClusterRole, and the ClusterRoleBinding, name. */
    public static final String ROLE = "system:kubevisor:namespace-controller";

    private NamespaceControllerRbac() {
    }

    /** The ClusterRole and a ClusterRoleBinding of it to {@code user}; new objects the caller owns. */
    public static List<HasMetadata> objects(String user) {
        var role = new ClusterRoleBuilder()
                .withMetadata(meta())
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("")
                                .withResources("namespaces", "namespaces/finalize", "namespaces/status")
                                .withVerbs("get", "list", "watch", "update").build(),
                        new PolicyRuleBuilder().withApiGroups("*").withResources("*")
                                .withVerbs("list", "delete", "deletecollection").build())
                .build();
        var binding = new ClusterRoleBindingBuilder()
                .withMetadata(meta())
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", ROLE)
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
                .build();
        return List.of(role, binding);
    }

    private static ObjectMeta meta() {
        return new ObjectMetaBuilder()
                .withName(ROLE)
                .withLabels(Map.of("kubernetes.io/bootstrapping", "rbac-defaults"))
                .withAnnotations(Map.of("rbac.authorization.kubernetes.io/autoupdate", "true"))
                .build();
    }
}

package io.kubevisor.controllers.nodelifecycle;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

/**
 * What the node lifecycle controller may do, as RBAC objects: watch node Leases, watch and update
 * nodes (taints) and their status (conditions), watch and delete pods and write their status
 * (the eviction's DisruptionTarget condition), and write events. Stateless.
 */
public final class NodeLifecycleRbac {

    /** The ClusterRole, and the ClusterRoleBinding, name. */
    public static final String ROLE = "system:kubevisor:node-lifecycle-controller";

    private NodeLifecycleRbac() {
    }

    /** The ClusterRole and a ClusterRoleBinding of it to {@code user}; new objects the caller owns. */
    public static List<HasMetadata> objects(String user) {
        var role = new ClusterRoleBuilder()
                .withMetadata(meta())
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("nodes")
                                .withVerbs("get", "list", "watch", "update", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("nodes/status")
                                .withVerbs("update", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods")
                                .withVerbs("get", "list", "watch", "delete").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods/status")
                                .withVerbs("update", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("events")
                                .withVerbs("create", "update", "patch").build())
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

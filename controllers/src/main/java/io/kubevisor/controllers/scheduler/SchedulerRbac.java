package io.kubevisor.controllers.scheduler;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

/**
 * What the scheduler may do, as RBAC objects: watch nodes and pods, bind pods, write their
 * status (the PodScheduled condition) and write events. Nothing else — no deletes (it does not
 * preempt), no secrets. Stateless.
 */
public final class SchedulerRbac {

    /** The user the scheduler authenticates as, as in Kubernetes. */
    public static final String USER = "system:kube-scheduler";
    /** The ClusterRole, and the ClusterRoleBinding, name. */
    public static final String ROLE = "system:kubevisor:scheduler";

    private SchedulerRbac() {
    }

    /** The ClusterRole and a ClusterRoleBinding of it to {@code user}; new objects the caller owns. */
    public static List<HasMetadata> objects(String user) {
        var role = new ClusterRoleBuilder()
                .withMetadata(meta())
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("").withResources("nodes", "pods")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods/binding")
                                .withVerbs("create").build(),
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

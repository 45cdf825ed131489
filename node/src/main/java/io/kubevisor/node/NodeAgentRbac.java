package io.kubevisor.node;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

/**
 * The permissions a {@link NodeAgent} uses, as RBAC objects: what Kubernetes grants nodes through
 * the {@code system:node} ClusterRole (and narrows further with its Node authorizer, which a pure
 * RBAC server lacks), limited to what this agent calls. Bound to the group {@code system:nodes},
 * so every node certificate ({@code CN=system:node:<name>, O=system:nodes}) gets it. Stateless;
 * each call returns new objects.
 */
public final class NodeAgentRbac {

    public static final String ROLE_NAME = "system:node";
    public static final String NODES_GROUP = "system:nodes";

    private NodeAgentRbac() {
    }

    /** The rules: each line names who in the agent needs it. */
    public static List<PolicyRule> rules() {
        return List.of(
                // registration: read, create, label/taint its Node (PATCH), and the informer-free reads
                rule("", List.of("nodes"), "get", "list", "watch", "create", "update", "patch"),
                // node status every 10 s (PUT on the status subresource)
                rule("", List.of("nodes/status"), "update", "patch"),
                // the pod watch (spec.nodeName field selector), fresh reads before status writes,
                // and deleting a pod's object once the provider stopped it
                rule("", List.of("pods"), "get", "list", "watch", "delete"),
                rule("", List.of("pods/status"), "update", "patch"),
                // what pods' volumes and env refer to (Kubernetes' Node authorizer narrows this to
                // the pods bound to the node; RBAC alone cannot, so any node may read these)
                rule("", List.of("configmaps", "secrets"), "get"),
                // FailedCreatePodSandBox and friends
                rule("", List.of("events"), "create", "update", "patch"),
                rule("events.k8s.io", List.of("events"), "create", "update", "patch"),
                // the heartbeat in kube-node-lease
                rule("coordination.k8s.io", List.of("leases"), "get", "create", "update", "patch", "delete"),
                // the kubelet endpoint asks the API server who may exec, read logs, ...
                rule("authorization.k8s.io", List.of("subjectaccessreviews"), "create"));
    }

    public static ClusterRole clusterRole() {
        return new ClusterRoleBuilder()
                .withNewMetadata().withName(ROLE_NAME)
                .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults").endMetadata()
                .withRules(rules())
                .build();
    }

    public static ClusterRoleBinding clusterRoleBinding() {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(ROLE_NAME)
                .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName(ROLE_NAME).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(NODES_GROUP)
                .endSubject()
                .build();
    }

    /** The role and its binding, for {@code io.kubevisor.controllers.Rbac.ensure}. */
    public static List<HasMetadata> objects() {
        return List.of(clusterRole(), clusterRoleBinding());
    }

    private static PolicyRule rule(String group, List<String> resources, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
    }
}

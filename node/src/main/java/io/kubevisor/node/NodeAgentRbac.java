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
 * The RBAC part of what a {@link NodeAgent} may do. A Kubevisor API server (like kube-apiserver
 * with {@code --authorization-mode=Node,RBAC} and NodeRestriction) decides a node's requests on
 * nodes, pods, leases, and the secrets, config maps, claims and service accounts its pods refer
 * to with its Node authorizer, and grants or refuses them whatever RBAC says. What remains for
 * RBAC is listed here: events, the reviews the kubelet endpoint asks for, and reading Services. Bound to the group
 * {@code system:nodes}, so every node certificate ({@code CN=system:node:<name>, O=system:nodes})
 * gets it. Stateless; each call returns new objects.
 */
public final class NodeAgentRbac {

    public static final String ROLE_NAME = "system:node";
    public static final String NODES_GROUP = "system:nodes";

    private NodeAgentRbac() {
    }

    /**
     * The rules: each line names who in the agent needs it. Nodes, Node status, pods, pod status,
     * the Lease and what pods refer to are the API server's Node authorizer's, not RBAC's.
     */
    public static List<PolicyRule> rules() {
        return List.of(
                // FailedCreatePodSandBox and friends
                rule("", List.of("events"), "create", "update", "patch"),
                rule("events.k8s.io", List.of("events"), "create", "update", "patch"),
                // the kubelet endpoint asks the API server who may exec, read logs, ...
                rule("authorization.k8s.io", List.of("subjectaccessreviews"), "create"),
                // service environment variables in containers (ClientPodResources watches them)
                rule("", List.of("services"), "get", "list", "watch"));
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

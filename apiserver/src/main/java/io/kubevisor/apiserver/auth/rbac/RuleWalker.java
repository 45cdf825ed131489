package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.JsonNode;

/**
 * Walks every rule that applies to a user in a namespace: first ClusterRoleBindings, then the
 * namespace's RoleBindings, each resolved to its role's rules, as Kubernetes' {@code VisitRulesFor}.
 * Aggregated ClusterRoles (those with an {@code aggregationRule}) are resolved at walk time from the
 * ClusterRoles their selectors pick, so no controller has to keep their {@code rules} filled in.
 * Thread-safe if the source is.
 */
final class RuleWalker {

    static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    /** Where a rule came from, for "allowed by" reasons. */
    record Grant(String bindingKind, String bindingName, String bindingNamespace, String roleKind, String roleName,
                 Subject subject) {

        String describe() {
            String binding = bindingNamespace.isEmpty() ? bindingName : bindingName + "/" + bindingNamespace;
            return bindingKind + " \"" + binding + "\" of " + roleKind + " \"" + roleName + "\" to "
                    + subject.describe(bindingNamespace);
        }
    }

    /** Called per rule, or per error resolving a role; returns false to stop the walk. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(Grant grant, PolicyRule rule, String error);
    }

    private final RbacSource source;

    RuleWalker(RbacSource source) {
        this.source = source;
    }

    void visitRulesFor(UserInfo user, String namespace, Visitor visitor) {
        if (!walk(source.clusterRoleBindings(), "ClusterRoleBinding", "", user, visitor)) {
            return;
        }
        if (namespace != null && !namespace.isEmpty()) {
            walk(source.roleBindings(namespace), "RoleBinding", namespace, user, visitor);
        }
    }

    private boolean walk(List<JsonNode> bindings, String bindingKind, String namespace, UserInfo user,
                         Visitor visitor) {
        for (JsonNode binding : bindings) {
            Subject subject = firstApplying(binding, user, namespace);
            if (subject == null) {
                continue;
            }
            JsonNode ref = binding.path("roleRef");
            String roleKind = ref.path("kind").asString("");
            String roleName = ref.path("name").asString("");
            List<PolicyRule> rules;
            try {
                rules = roleRules(roleKind, roleName, namespace);
            } catch (RoleNotFound e) {
                if (!visitor.visit(null, null, e.getMessage())) {
                    return false;
                }
                continue;
            }
            var grant = new Grant(bindingKind, binding.path("metadata").path("name").asString(""), namespace,
                    roleKind, roleName, subject);
            for (PolicyRule rule : rules) {
                if (!visitor.visit(grant, rule, null)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Subject firstApplying(JsonNode binding, UserInfo user, String namespace) {
        for (JsonNode s : binding.path("subjects")) {
            Subject subject = Subject.fromJson(s);
            if (subject.appliesTo(user, namespace)) {
                return subject;
            }
        }
        return null;
    }

    private List<PolicyRule> roleRules(String kind, String name, String namespace) throws RoleNotFound {
        return switch (kind) {
            case "ClusterRole" -> clusterRoleRules(source.clusterRole(name)
                    .orElseThrow(() -> new RoleNotFound("clusterrole." + RBAC_GROUP + " \"" + name + "\" not found")),
                    new HashSet<>());
            case "Role" -> {
                Optional<JsonNode> role = namespace.isEmpty() ? Optional.empty() : source.role(namespace, name);
                yield PolicyRule.listFrom(role.orElseThrow(
                        () -> new RoleNotFound("role." + RBAC_GROUP + " \"" + name + "\" not found")));
            }
            default -> throw new RoleNotFound("unsupported role reference kind: \"" + kind + "\"");
        };
    }

    /** The effective rules of a ClusterRole, resolving aggregation; {@code visiting} breaks cycles. */
    List<PolicyRule> clusterRoleRules(JsonNode role, Set<String> visiting) {
        JsonNode aggregation = role.get("aggregationRule");
        if (aggregation == null || aggregation.isNull()) {
            return PolicyRule.listFrom(role);
        }
        String self = role.path("metadata").path("name").asString("");
        visiting.add(self);
        var rules = new LinkedHashSet<PolicyRule>();
        for (JsonNode candidate : source.clusterRoles()) {
            String name = candidate.path("metadata").path("name").asString("");
            if (visiting.contains(name)) {
                continue;
            }
            JsonNode labels = candidate.path("metadata").path("labels");
            for (JsonNode selector : aggregation.path("clusterRoleSelectors")) {
                if (LabelSelector.matches(selector, labels)) {
                    rules.addAll(clusterRoleRules(candidate, new HashSet<>(visiting)));
                    break;
                }
            }
        }
        return new ArrayList<>(rules);
    }

    /** Kubernetes' aggregate error text: the message alone, or {@code [a, b]} for several. */
    static String aggregate(List<String> errors) {
        var distinct = new ArrayList<>(new LinkedHashSet<>(errors));
        return distinct.size() == 1 ? distinct.getFirst() : "[" + String.join(", ", distinct) + "]";
    }

    private static final class RoleNotFound extends Exception {
        RoleNotFound(String message) {
            super(message, null, false, false);
        }
    }
}

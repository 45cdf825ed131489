package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;

import io.kubevisor.apiserver.auth.authn.UserInfo;

/**
 * Lists the RBAC rules that apply to a user in a namespace, for SelfSubjectRulesReview
 * ({@code kubectl auth can-i --list}). Like Kubernetes, it lists what bindings grant: the
 * superuser group's power shows through the bootstrap {@code cluster-admin} binding, not as a
 * special case. Thread-safe if the source is.
 */
public final class RulesResolver {

    private final RuleWalker walker;

    public RulesResolver(RbacSource source) {
        this.walker = new RuleWalker(source);
    }

    /**
     * The rules from every ClusterRoleBinding naming the user, then from every RoleBinding in the
     * namespace naming the user ("" for cluster-wide rules only). A binding to a missing role adds
     * to {@link SubjectRules#evaluationError()} and is skipped.
     */
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        var resourceRules = new ArrayList<SubjectRules.ResourceRule>();
        var nonResourceRules = new ArrayList<SubjectRules.NonResourceRule>();
        var errors = new ArrayList<String>();
        walker.visitRulesFor(user, namespace, (grant, rule, error) -> {
            if (error != null) {
                errors.add(error);
                return true;
            }
            if (!rule.resources().isEmpty()) {
                resourceRules.add(new SubjectRules.ResourceRule(rule.verbs(), rule.apiGroups(), rule.resources(),
                        rule.resourceNames()));
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                nonResourceRules.add(new SubjectRules.NonResourceRule(rule.verbs(), rule.nonResourceURLs()));
            }
            return true;
        });
        // Kubernetes reports RBAC lookup errors in evaluationError without marking the list incomplete.
        return new SubjectRules(resourceRules, nonResourceRules, false,
                errors.isEmpty() ? "" : RuleWalker.aggregate(errors));
    }
}

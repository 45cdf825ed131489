package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.apiserver.auth.authn.UserInfo;

/**
 * Kubernetes RBAC: members of {@value UserInfo#MASTERS} may do anything; everyone else may do what a
 * rule of a role bound to them allows: ClusterRoleBindings everywhere, RoleBindings (to a Role or a
 * ClusterRole) in their namespace. There are no deny rules. Thread-safe if the source is; reads the
 * source on every call, so changes to RBAC objects apply to the next request.
 */
public final class RbacAuthorizer implements Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger(RbacAuthorizer.class);

    private final RuleWalker walker;

    public RbacAuthorizer(RbacSource source) {
        this.walker = new RuleWalker(source);
    }

    /**
     * @return allow with reason {@code RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to
     *         User "z"} (empty for the superuser group); otherwise no opinion (RBAC has no deny
     *         rules), with an empty reason or with {@code RBAC: <errors>} when a binding refers to
     *         a missing role
     */
    @Override
    public Decision authorize(Attributes a) {
        if (a.user().inGroup(UserInfo.MASTERS)) {
            return Decision.allow("");
        }
        var errors = new ArrayList<String>();
        RuleWalker.Grant[] allowedBy = new RuleWalker.Grant[1];
        walker.visitRulesFor(a.user(), a.namespace(), (grant, rule, error) -> {
            if (error != null) {
                errors.add(error);
                return true;
            }
            if (rule.allows(a)) {
                allowedBy[0] = grant;
                return false;
            }
            return true;
        });
        if (allowedBy[0] != null) {
            return Decision.allow("RBAC: allowed by " + allowedBy[0].describe());
        }
        String reason = errors.isEmpty() ? "" : "RBAC: " + RuleWalker.aggregate(errors);
        if (LOG.isDebugEnabled()) {
            LOG.debug("event=rbac_denied user={} verb={} namespace={} group={} resource={} subresource={} name={} path={} reason=\"{}\"",
                    a.user().name(), a.verb(), a.namespace(), a.apiGroup(), a.resource(), a.subresource(), a.name(),
                    a.path(), reason);
        }
        return Decision.noOpinion(reason);
    }
}

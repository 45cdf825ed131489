package io.kubevisor.apiserver.kinds.rbac;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Roles and ClusterRoles: names safe as path segments, and rules that name verbs plus either API
 * groups and resources or (cluster roles only) non-resource URLs; aggregation selectors for
 * ClusterRoles. Stateless.
 */
public final class RoleStrategy implements Strategy {

    private final boolean namespaced;

    /** @param namespaced true for Role, false for ClusterRole */
    public RoleStrategy(boolean namespaced) {
        this.namespaced = namespaced;
    }

    @Override
    public NameRule nameRule() {
        return NameRule.PATH_SEGMENT;
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        List<JsonNode> rules = Nodes.elements(obj, "rules");
        for (int i = 0; i < rules.size(); i++) {
            policyRule(errs, Rules.index("rules", i), rules.get(i), namespaced);
        }
        if (!namespaced && Nodes.has(obj, "aggregationRule")) {
            List<JsonNode> selectors = Nodes.elements(obj.get("aggregationRule"), "clusterRoleSelectors");
            if (selectors.isEmpty()) {
                errs.add(FieldError.required("aggregationRule.clusterRoleSelectors",
                        "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }
            for (int i = 0; i < selectors.size(); i++) {
                Rules.labelSelector(errs, Rules.index("aggregationRule.clusterRoleSelectors", i), selectors.get(i));
            }
        }
        return errs;
    }

    /** ValidatePolicyRule. */
    static void policyRule(List<FieldError> errs, String p, JsonNode rule, boolean namespaced) {
        if (!Nodes.hasItems(rule, "verbs")) {
            errs.add(FieldError.required(p + ".verbs", "verbs must contain at least one value"));
        }
        List<String> urls = Nodes.strings(rule, "nonResourceURLs");
        if (!urls.isEmpty()) {
            if (namespaced) {
                errs.add(FieldError.invalid(p + ".nonResourceURLs", GoValue.stringSlice(urls, false),
                        "namespaced rules cannot apply to non-resource URLs"));
            }
            if (Nodes.hasItems(rule, "apiGroups") || Nodes.hasItems(rule, "resources")
                    || Nodes.hasItems(rule, "resourceNames")) {
                errs.add(FieldError.invalid(p + ".nonResourceURLs", GoValue.stringSlice(urls, false),
                        "rules cannot apply to both regular resources and non-resource URLs"));
            }
            return;
        }
        if (!Nodes.hasItems(rule, "apiGroups")) {
            errs.add(FieldError.required(p + ".apiGroups", "resource rules must supply at least one api group"));
        }
        if (!Nodes.hasItems(rule, "resources")) {
            errs.add(FieldError.required(p + ".resources", "resource rules must supply at least one resource"));
        }
    }
}

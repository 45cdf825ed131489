package io.kubevisor.apiserver.kinds.rbac;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.meta.Validation;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RoleBindings and ClusterRoleBindings: the rbac API group defaulted into roleRef and User/Group
 * subjects, roleRef fixed after creation, and subjects of the known kinds (ServiceAccounts need a
 * namespace in cluster-wide bindings). Stateless.
 */
public final class BindingStrategy implements Strategy {

    static final String GROUP = "rbac.authorization.k8s.io";

    private final boolean namespaced;

    /** @param namespaced true for RoleBinding, false for ClusterRoleBinding */
    public BindingStrategy(boolean namespaced) {
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
    public void applyDefaults(ObjectNode obj) {
        ObjectNode roleRef = Nodes.object(obj, "roleRef");
        Nodes.defaultText(roleRef, "apiGroup", GROUP);
        for (ObjectNode subject : Nodes.objects(obj, "subjects")) {
            if (Nodes.text(subject, "apiGroup").isEmpty()) {
                switch (Nodes.text(subject, "kind")) {
                    case "User", "Group" -> subject.put("apiGroup", GROUP);
                    default -> Nodes.dropZero(subject, "apiGroup");
                }
            }
            Nodes.dropZero(subject, "namespace");
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode ref = obj.path("roleRef");
        String apiGroup = Nodes.text(ref, "apiGroup");
        if (!apiGroup.equals(GROUP)) {
            errs.add(FieldError.notSupported("roleRef.apiGroup", apiGroup, List.of(GROUP)));
        }
        String kind = Nodes.text(ref, "kind");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) {
            errs.add(FieldError.notSupported("roleRef.kind", kind, kinds));
        }
        String name = Nodes.text(ref, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required("roleRef.name", ""));
        } else {
            for (String m : Validation.pathSegmentName(name)) {
                errs.add(FieldError.invalid("roleRef.name", name, m));
            }
        }
        List<JsonNode> subjects = Nodes.elements(obj, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            subject(errs, Rules.index("subjects", i), subjects.get(i));
        }
        return errs;
    }

    private void subject(List<FieldError> errs, String p, JsonNode s) {
        String name = Nodes.text(s, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(p + ".name", ""));
        }
        String apiGroup = Nodes.text(s, "apiGroup");
        switch (Nodes.text(s, "kind")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    Rules.dns1123Subdomain(errs, p + ".name", name);
                }
                if (!apiGroup.isEmpty()) {
                    errs.add(FieldError.notSupported(p + ".apiGroup", apiGroup, List.of("")));
                }
                if (!namespaced && Nodes.text(s, "namespace").isEmpty()) {
                    errs.add(FieldError.required(p + ".namespace", ""));
                }
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(GROUP)) {
                    errs.add(FieldError.notSupported(p + ".apiGroup", apiGroup, List.of(GROUP)));
                }
            }
            default -> errs.add(FieldError.notSupported(p + ".kind", Nodes.text(s, "kind"),
                    List.of("ServiceAccount", "User", "Group")));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        JsonNode ref = obj.path("roleRef");
        if (!Nodes.semanticEquals(ref, old.path("roleRef"))) {
            errs.add(FieldError.invalid("roleRef", new GoValue("rbac.RoleRef{APIGroup:"
                    + GoValue.quote(Nodes.text(ref, "apiGroup")) + ", Kind:" + GoValue.quote(Nodes.text(ref, "kind"))
                    + ", Name:" + GoValue.quote(Nodes.text(ref, "name")) + "}"), "cannot change roleRef"));
        }
        return errs;
    }
}

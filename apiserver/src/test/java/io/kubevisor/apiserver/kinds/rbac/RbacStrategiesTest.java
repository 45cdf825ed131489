package io.kubevisor.apiserver.kinds.rbac;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.rbac.BootstrapPolicy;
import io.kubevisor.apiserver.meta.NameRule;
import tools.jackson.databind.node.ObjectNode;

class RbacStrategiesTest {

    private final RoleStrategy roles = new RoleStrategy(true);
    private final RoleStrategy clusterRoles = new RoleStrategy(false);
    private final BindingStrategy bindings = new BindingStrategy(true);
    private final BindingStrategy clusterBindings = new BindingStrategy(false);

    @Test
    void rulesNeedVerbsAndResourcesOrUrls() {
        assertThat(rendered(createErrors(roles, json("""
                {"metadata":{"name":"r","namespace":"default"},"rules":[{"resources":["pods"]},
                  {"verbs":["get"],"nonResourceURLs":["/healthz"]},{"verbs":["get"]}]}"""), true))).containsExactly(
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to "
                        + "non-resource URLs",
                "rules[2].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[2].resources: Required value: resource rules must supply at least one resource");
        assertThat(rendered(createErrors(clusterRoles, json("""
                {"metadata":{"name":"system:health"},"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz"],
                  "apiGroups":[""]}]}"""), false))).containsExactly(
                "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular "
                        + "resources and non-resource URLs");
    }

    @Test
    void theBootstrapPolicyIsValid() {
        for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
            assertThat(createErrors(clusterRoles, role, false)).as(role.path("metadata").path("name").asString()).isEmpty();
        }
        for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
            assertThat(createErrors(clusterBindings, binding, false)).as(binding.path("metadata").path("name").asString())
                    .isEmpty();
        }
    }

    @Test
    void bindingsGetTheRbacGroupByDefault() {
        ObjectNode rb = created(bindings, json("""
                {"metadata":{"name":"view","namespace":"default"},"roleRef":{"kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","name":"jane"},{"kind":"ServiceAccount","name":"ci","namespace":"default"}]}"""));
        assertThat(rb.path("roleRef")).isEqualTo(json("""
                {"kind":"ClusterRole","name":"view","apiGroup":"rbac.authorization.k8s.io"}"""));
        assertThat(rb.path("subjects").get(0).path("apiGroup").asString()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(rb.path("subjects").get(1).has("apiGroup")).isFalse();
        assertThat(createErrors(bindings, rb, true)).isEmpty();
    }

    @Test
    void subjectsAndRoleRefs() {
        assertThat(rendered(createErrors(clusterBindings, json("""
                {"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"x"},
                 "subjects":[{"kind":"ServiceAccount","name":"ci"},{"kind":"Robot","name":"r2"},{"kind":"User"}]}"""),
                false))).containsExactly(
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[2].name: Required value");
    }

    @Test
    void roleRefCannotChange() {
        ObjectNode stored = created(bindings, json("""
                {"metadata":{"name":"b","namespace":"default"},"roleRef":{"kind":"ClusterRole","name":"view"}}"""));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("roleRef")).put("name", "edit");
        assertThat(rendered(updateErrors(bindings, stored, next))).containsExactly(
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", "
                        + "Name:\"edit\"}: cannot change roleRef");
    }

    @Test
    void namesArePathSegmentsAndPutCreates() {
        assertThat(roles.nameRule()).isEqualTo(NameRule.PATH_SEGMENT);
        assertThat(rendered(createErrors(clusterRoles, json("{\"metadata\":{\"name\":\"a/b\"}}"), false)))
                .containsExactly("metadata.name: Invalid value: \"a/b\": may not contain '/'");
        assertThat(clusterBindings.allowCreateOnUpdate()).isTrue();
        assertThat(roles.allowCreateOnUpdate()).isTrue();
    }
}

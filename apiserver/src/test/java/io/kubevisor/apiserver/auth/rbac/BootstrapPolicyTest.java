package io.kubevisor.apiserver.auth.rbac;

import static io.kubevisor.apiserver.auth.rbac.RbacObjects.roleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class BootstrapPolicyTest {

    static SnapshotRbacSource bootstrapWithNamespaceGrants() {
        var all = new ArrayList<JsonNode>();
        all.addAll(BootstrapPolicy.clusterRoles());
        all.addAll(BootstrapPolicy.clusterRoleBindings());
        all.add(roleBinding("team", "viewers", "ClusterRole", "view", user("vic")));
        all.add(roleBinding("team", "editors", "ClusterRole", "edit", user("eve")));
        all.add(roleBinding("team", "admins", "ClusterRole", "admin", user("ada")));
        return new SnapshotRbacSource(all);
    }

    static Attributes res(String user, String verb, String ns, String group, String resource, String sub) {
        UserInfo u = UserInfo.of(user, List.of()).withAuthenticatedGroup();
        return Attributes.resource(u, verb, ns, group, resource, sub, "");
    }

    static Stream<Arguments> cases() {
        UserInfo someone = UserInfo.of("someone", List.of()).withAuthenticatedGroup();
        UserInfo anonymous = UserInfo.anonymous();
        UserInfo master = UserInfo.of("kubevisor-admin", List.of(UserInfo.MASTERS)).withAuthenticatedGroup();
        return Stream.of(
                Arguments.of(res("vic", "list", "team", "", "pods", ""), true),
                Arguments.of(res("vic", "get", "team", "", "pods", "log"), true),
                Arguments.of(res("vic", "list", "team", "apps", "deployments", ""), true),
                Arguments.of(res("vic", "get", "team", "coordination.k8s.io", "leases", ""), true),
                Arguments.of(res("vic", "watch", "team", "events.k8s.io", "events", ""), true),
                Arguments.of(res("vic", "list", "team", "discovery.k8s.io", "endpointslices", ""), true),
                Arguments.of(res("vic", "get", "team", "batch", "jobs", "status"), true),
                Arguments.of(res("vic", "get", "team", "", "secrets", ""), false),
                Arguments.of(res("vic", "create", "team", "", "pods", ""), false),
                Arguments.of(res("vic", "create", "team", "", "pods", "exec"), false),
                Arguments.of(res("vic", "list", "other", "", "pods", ""), false),
                Arguments.of(res("eve", "create", "team", "apps", "deployments", ""), true),
                Arguments.of(res("eve", "patch", "team", "apps", "deployments", "scale"), true),
                Arguments.of(res("eve", "get", "team", "", "secrets", ""), true),
                Arguments.of(res("eve", "create", "team", "", "pods", "exec"), true),
                Arguments.of(res("eve", "delete", "team", "batch", "cronjobs", ""), true),
                Arguments.of(res("eve", "update", "team", "coordination.k8s.io", "leases", ""), true),
                Arguments.of(res("eve", "list", "team", "", "pods", ""), true),
                Arguments.of(res("eve", "update", "team", "", "pods", "status"), false),
                Arguments.of(res("eve", "create", "team", "rbac.authorization.k8s.io", "rolebindings", ""), false),
                Arguments.of(res("eve", "create", "team", "authorization.k8s.io", "localsubjectaccessreviews", ""), false),
                Arguments.of(res("ada", "create", "team", "rbac.authorization.k8s.io", "rolebindings", ""), true),
                Arguments.of(res("ada", "create", "team", "authorization.k8s.io", "localsubjectaccessreviews", ""), true),
                Arguments.of(res("ada", "delete", "team", "", "secrets", ""), true),
                Arguments.of(res("ada", "list", "team", "", "pods", ""), true),
                Arguments.of(res("ada", "create", "", "rbac.authorization.k8s.io", "clusterrolebindings", ""), false),
                Arguments.of(res("someone", "create", "", "authorization.k8s.io", "selfsubjectaccessreviews", ""), true),
                Arguments.of(res("someone", "create", "", "authorization.k8s.io", "selfsubjectrulesreviews", ""), true),
                Arguments.of(res("someone", "create", "", "authentication.k8s.io", "selfsubjectreviews", ""), true),
                Arguments.of(res("someone", "list", "team", "", "pods", ""), false),
                Arguments.of(Attributes.nonResource(someone, "get", "/apis/apps/v1"), true),
                Arguments.of(Attributes.nonResource(someone, "get", "/openapi/v3"), true),
                Arguments.of(Attributes.nonResource(someone, "get", "/metrics"), false),
                Arguments.of(Attributes.nonResource(anonymous, "get", "/version"), true),
                Arguments.of(Attributes.nonResource(anonymous, "get", "/healthz"), true),
                Arguments.of(Attributes.nonResource(anonymous, "get", "/api"), false),
                Arguments.of(Attributes.resource(anonymous, "create", "", "authorization.k8s.io",
                        "selfsubjectaccessreviews", "", ""), false),
                Arguments.of(Attributes.nonResource(master, "get", "/metrics"), true),
                Arguments.of(Attributes.resource(master, "delete", "", "", "namespaces", "", "x"), true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void grantsWhatKubernetesDefaultRolesGrant(Attributes a, boolean allowed) {
        assertThat(new RbacAuthorizer(bootstrapWithNamespaceGrants()).authorize(a).allowed())
                .as("%s %s %s/%s in %s%s", a.user().name(), a.verb(), a.resource(), a.subresource(), a.namespace(),
                        a.path())
                .isEqualTo(allowed);
    }

    @Test
    void everyObjectIsLabelledAndAnnotatedAsBootstrap() {
        var all = new ArrayList<ObjectNode>(BootstrapPolicy.clusterRoles());
        all.addAll(BootstrapPolicy.clusterRoleBindings());
        assertThat(all).allSatisfy(o -> {
            assertThat(o.path("apiVersion").asString()).isEqualTo("rbac.authorization.k8s.io/v1");
            assertThat(o.path("metadata").path("labels").path("kubernetes.io/bootstrapping").asString())
                    .isEqualTo("rbac-defaults");
            assertThat(o.path("metadata").path("annotations").path("rbac.authorization.kubernetes.io/autoupdate")
                    .asString()).isEqualTo("true");
        });
        assertThat(BootstrapPolicy.clusterRoles()).extracting(o -> o.path("metadata").path("name").asString())
                .contains("cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
                        "system:public-info-viewer")
                .doesNotHaveDuplicates();
    }

    @Test
    void everyBindingRefersToABootstrapRole() {
        var names = BootstrapPolicy.clusterRoles().stream().map(o -> o.path("metadata").path("name").asString()).toList();
        assertThat(BootstrapPolicy.clusterRoleBindings())
                .extracting(b -> b.path("roleRef").path("name").asString())
                .allSatisfy(n -> assertThat(names).contains(n));
    }

    @Test
    void aggregatedRolesArePrefilledWithWhatTheyAggregate() {
        ObjectNode admin = BootstrapPolicy.clusterRoles().stream()
                .filter(o -> o.path("metadata").path("name").asString().equals("admin")).findFirst().orElseThrow();
        assertThat(admin.has("aggregationRule")).isTrue();
        var rules = PolicyRule.listFrom(admin);
        // admin includes edit, which includes view.
        assertThat(rules).anySatisfy(r -> assertThat(r.resources()).contains("roles", "rolebindings"));
        assertThat(rules).anySatisfy(r -> assertThat(r.resources()).contains("deployments/rollback"));
        assertThat(rules).anySatisfy(r -> assertThat(r.resources()).contains("pods/log"));
    }

    @Test
    void superuserRulesShowThroughTheClusterAdminBinding() {
        UserInfo master = UserInfo.of("kubevisor-admin", List.of(UserInfo.MASTERS)).withAuthenticatedGroup();
        SubjectRules rules = new RulesResolver(bootstrapWithNamespaceGrants()).rulesFor(master, "default");
        assertThat(rules.resourceRules()).contains(
                new SubjectRules.ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of()));
        assertThat(rules.nonResourceRules()).contains(new SubjectRules.NonResourceRule(List.of("*"), List.of("*")));
    }

    @Test
    void callersOwnTheReturnedObjects() {
        BootstrapPolicy.clusterRoles().getFirst().put("kind", "Changed");
        assertThat(BootstrapPolicy.clusterRoles().getFirst().path("kind").asString()).isEqualTo("ClusterRole");
    }
}

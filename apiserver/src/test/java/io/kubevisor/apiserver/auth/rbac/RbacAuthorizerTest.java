package io.kubevisor.apiserver.auth.rbac;

import static io.kubevisor.apiserver.auth.rbac.RbacObjects.aggregatedClusterRole;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRole;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRoleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.group;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.role;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.roleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.rule;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.serviceAccount;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.urlRule;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.kubevisor.api.Json;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.node.ObjectNode;

class RbacAuthorizerTest {

    static final List<String> READ = List.of("get", "list", "watch");

    static final SnapshotRbacSource WORLD = SnapshotRbacSource.of(
            clusterRole("pod-reader", rule(READ, List.of(""), List.of("pods"))),
            clusterRole("secret-one", rule(List.of("get"), List.of(""), List.of("secrets"), List.of("s1"))),
            clusterRole("logs", rule(List.of("get"), List.of(""), List.of("pods/log"))),
            clusterRole("apps-all", rule(List.of("*"), List.of("apps"), List.of("*"))),
            clusterRole("scaler", rule(List.of("update"), List.of("apps"), List.of("*/scale"))),
            clusterRole("health", urlRule(List.of("get"), List.of("/healthz", "/logs/*"))),
            role("ns1", "cm-editor", rule(List.of("create", "update"), List.of(""), List.of("configmaps"))),
            roleBinding("ns1", "alice-cm", "Role", "cm-editor", user("alice")),
            roleBinding("ns1", "alice-pods", "ClusterRole", "pod-reader", user("alice")),
            roleBinding("ns1", "bob-secret", "ClusterRole", "secret-one", user("bob")),
            roleBinding("ns2", "builder-pods", "ClusterRole", "pod-reader", serviceAccount(null, "builder")),
            roleBinding("ns3", "ns3-sas", "ClusterRole", "pod-reader", group("system:serviceaccounts:ns3")),
            roleBinding("ns1", "dangling", "Role", "missing", user("dave")),
            clusterRoleBinding("devs-logs", "logs", group("devs")),
            clusterRoleBinding("ops-apps", "apps-all", group("ops")),
            clusterRoleBinding("carol-scale", "scaler", user("carol")),
            clusterRoleBinding("health", "health", group(UserInfo.AUTHENTICATED)),
            clusterRoleBinding("dangling-cluster", "gone", user("dave")));

    static UserInfo u(String name, String... groups) {
        return UserInfo.of(name, List.of(groups)).withAuthenticatedGroup();
    }

    static Attributes res(UserInfo user, String verb, String ns, String group, String resource, String sub,
                          String name) {
        return Attributes.resource(user, verb, ns, group, resource, sub, name);
    }

    static Stream<Arguments> cases() {
        UserInfo admin = u("root", UserInfo.MASTERS);
        UserInfo alice = u("alice");
        UserInfo bob = u("bob");
        UserInfo carol = u("carol");
        UserInfo erin = u("erin", "devs");
        UserInfo olga = u("olga", "ops");
        UserInfo builder = u(UserInfo.serviceAccountName("ns2", "builder"),
                UserInfo.serviceAccountGroups("ns2").toArray(String[]::new));
        UserInfo otherBuilder = u(UserInfo.serviceAccountName("ns1", "builder"),
                UserInfo.serviceAccountGroups("ns1").toArray(String[]::new));
        UserInfo ns3sa = u(UserInfo.serviceAccountName("ns3", "x"),
                UserInfo.serviceAccountGroups("ns3").toArray(String[]::new));
        UserInfo anonymous = UserInfo.anonymous();
        return Stream.of(
                Arguments.of("superuser may do anything", res(admin, "delete", "", "", "nodes", "", "n1"), true),
                Arguments.of("superuser, non-resource", Attributes.nonResource(admin, "post", "/anything"), true),
                Arguments.of("role in namespace", res(alice, "create", "ns1", "", "configmaps", "", ""), true),
                Arguments.of("role only in its namespace", res(alice, "create", "ns2", "", "configmaps", "", ""), false),
                Arguments.of("role grants only its verbs", res(alice, "delete", "ns1", "", "configmaps", "", "c"), false),
                Arguments.of("rolebinding to clusterrole", res(alice, "list", "ns1", "", "pods", "", ""), true),
                Arguments.of("rolebinding to clusterrole, other namespace", res(alice, "list", "ns2", "", "pods", "", ""), false),
                Arguments.of("rolebinding to clusterrole, cluster-wide", res(alice, "list", "", "", "pods", "", ""), false),
                Arguments.of("resource does not grant subresource", res(alice, "get", "ns1", "", "pods", "log", "p"), false),
                Arguments.of("clusterrolebinding, any namespace", res(erin, "get", "ns9", "", "pods", "log", "p"), true),
                Arguments.of("clusterrolebinding, cluster-wide", res(erin, "get", "", "", "pods", "log", ""), true),
                Arguments.of("subresource does not grant resource", res(erin, "get", "ns9", "", "pods", "", "p"), false),
                Arguments.of("subresource is exact", res(erin, "get", "ns9", "", "pods", "exec", "p"), false),
                Arguments.of("wildcard verb and resource", res(olga, "deletecollection", "ns1", "apps", "deployments", "", ""), true),
                Arguments.of("wildcard resource covers subresources", res(olga, "update", "ns1", "apps", "deployments", "scale", "d"), true),
                Arguments.of("api group must match", res(olga, "delete", "ns1", "", "pods", "", "p"), false),
                Arguments.of("*/subresource", res(carol, "update", "ns1", "apps", "deployments", "scale", "d"), true),
                Arguments.of("*/subresource, other resource", res(carol, "update", "ns1", "apps", "statefulsets", "scale", "s"), true),
                Arguments.of("*/subresource, not the resource", res(carol, "update", "ns1", "apps", "deployments", "", "d"), false),
                Arguments.of("*/subresource, other subresource", res(carol, "update", "ns1", "apps", "deployments", "status", "d"), false),
                Arguments.of("resourceNames, listed", res(bob, "get", "ns1", "", "secrets", "", "s1"), true),
                Arguments.of("resourceNames, other name", res(bob, "get", "ns1", "", "secrets", "", "s2"), false),
                Arguments.of("resourceNames, no name", res(bob, "get", "ns1", "", "secrets", "", ""), false),
                Arguments.of("non-resource exact", Attributes.nonResource(alice, "get", "/healthz"), true),
                Arguments.of("non-resource exact is not a prefix", Attributes.nonResource(alice, "get", "/healthz/ping"), false),
                Arguments.of("non-resource trailing *", Attributes.nonResource(alice, "get", "/logs/kube.log"), true),
                Arguments.of("non-resource verb", Attributes.nonResource(alice, "post", "/healthz"), false),
                Arguments.of("non-resource rule does not grant resources", res(alice, "get", "", "", "healthz", "", ""), false),
                Arguments.of("unauthenticated lacks authenticated grants", Attributes.nonResource(anonymous, "get", "/healthz"), false),
                Arguments.of("service account subject, binding namespace", res(builder, "list", "ns2", "", "pods", "", ""), true),
                Arguments.of("service account, other namespace", res(builder, "list", "ns1", "", "pods", "", ""), false),
                Arguments.of("same name, other namespace's account", res(otherBuilder, "list", "ns2", "", "pods", "", ""), false),
                Arguments.of("service accounts group", res(ns3sa, "watch", "ns3", "", "pods", "", ""), true),
                Arguments.of("service accounts group, other namespace", res(ns3sa, "watch", "ns4", "", "pods", "", ""), false),
                Arguments.of("no binding", res(u("zed"), "get", "ns1", "", "pods", "", "p"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String description, Attributes attributes, boolean allowed) {
        assertThat(new RbacAuthorizer(WORLD).authorize(attributes).allowed()).as(description).isEqualTo(allowed);
    }

    @Test
    void allowReasonNamesBindingRoleAndSubject() {
        var authz = new RbacAuthorizer(WORLD);
        assertThat(authz.authorize(res(u("alice"), "list", "ns1", "", "pods", "", "")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"alice-pods/ns1\" of ClusterRole \"pod-reader\" to User \"alice\"");
        assertThat(authz.authorize(res(u("erin", "devs"), "get", "x", "", "pods", "log", "p")).reason())
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"devs-logs\" of ClusterRole \"logs\" to Group \"devs\"");
        UserInfo builder = u(UserInfo.serviceAccountName("ns2", "builder"));
        assertThat(authz.authorize(res(builder, "get", "ns2", "", "pods", "", "p")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"builder-pods/ns2\" of ClusterRole \"pod-reader\" "
                        + "to ServiceAccount \"builder/ns2\"");
    }

    @Test
    void noMatchingRuleIsNoOpinionWithoutReason() {
        Decision d = new RbacAuthorizer(WORLD).authorize(res(u("zed"), "get", "ns1", "", "pods", "", "p"));
        assertThat(d).isEqualTo(Decision.noOpinion(""));
    }

    @Test
    void denyNamesMissingRoles() {
        Decision d = new RbacAuthorizer(WORLD).authorize(res(u("dave"), "get", "ns1", "", "pods", "", "p"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, "
                + "role.rbac.authorization.k8s.io \"missing\" not found]");
        Decision cluster = new RbacAuthorizer(WORLD).authorize(res(u("dave"), "get", "", "", "nodes", "", "n"));
        assertThat(cluster.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
    }

    @Test
    void missingRoleDoesNotHideOtherGrants() {
        var source = WORLD.with(List.of(roleBinding("ns1", "dave-pods", "ClusterRole", "pod-reader", user("dave"))));
        assertThat(new RbacAuthorizer(source).authorize(res(u("dave"), "get", "ns1", "", "pods", "", "p")).allowed())
                .isTrue();
    }

    @Test
    void forbiddenMessagesMatchKubernetes() {
        UserInfo bob = u("bob");
        assertThat(res(bob, "get", "default", "", "pods", "", "x").forbidden("").getMessage())
                .isEqualTo("pods \"x\" is forbidden: User \"bob\" cannot get resource \"pods\" in API group \"\" "
                        + "in the namespace \"default\"");
        assertThat(res(bob, "list", "default", "apps", "deployments", "", "").forbidden("").getMessage())
                .isEqualTo("deployments.apps is forbidden: User \"bob\" cannot list resource \"deployments\" "
                        + "in API group \"apps\" in the namespace \"default\"");
        var exec = res(bob, "create", "default", "", "pods", "exec", "web").forbidden("");
        assertThat(exec.getMessage()).isEqualTo("pods \"web\" is forbidden: User \"bob\" cannot create resource "
                + "\"pods/exec\" in API group \"\" in the namespace \"default\"");
        assertThat(exec.details().kind()).isEqualTo("pods");
        assertThat(exec.code()).isEqualTo(403);
        assertThat(res(bob, "list", "", "", "nodes", "", "").forbidden("RBAC: role.rbac.authorization.k8s.io \"r\" not found")
                .getMessage()).isEqualTo("nodes is forbidden: User \"bob\" cannot list resource \"nodes\" in API "
                + "group \"\" at the cluster scope: RBAC: role.rbac.authorization.k8s.io \"r\" not found");
        var path = Attributes.nonResource(bob, "get", "/metrics").forbidden("");
        assertThat(path.getMessage()).isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
        assertThat(path.toStatus().path("reason").asString()).isEqualTo("Forbidden");
    }

    @Test
    void aggregatedClusterRoleCollectsMatchingRolesAtEvaluationTime() {
        ObjectNode byLabel = Json.object();
        byLabel.putObject("matchLabels").put("example.com/aggregate-to-widgets", "true");
        ObjectNode byExpression = Json.object();
        ObjectNode expr = byExpression.putArray("matchExpressions").addObject();
        expr.put("key", "tier");
        expr.put("operator", "In");
        expr.putArray("values").add("gold").add("silver");
        var source = SnapshotRbacSource.of(
                aggregatedClusterRole("widgets", byLabel, byExpression),
                clusterRole("widget-reader", Map.of("example.com/aggregate-to-widgets", "true"),
                        rule(READ, List.of("example.com"), List.of("widgets"))),
                clusterRole("gold", Map.of("tier", "gold"), rule(List.of("create"), List.of("example.com"), List.of("widgets"))),
                clusterRole("bronze", Map.of("tier", "bronze"), rule(List.of("delete"), List.of("example.com"), List.of("widgets"))),
                clusterRoleBinding("gina-widgets", "widgets", user("gina")));
        var authz = new RbacAuthorizer(source);
        UserInfo gina = u("gina");
        assertThat(authz.authorize(res(gina, "list", "n", "example.com", "widgets", "", "")).allowed()).isTrue();
        assertThat(authz.authorize(res(gina, "create", "n", "example.com", "widgets", "", "")).allowed()).isTrue();
        assertThat(authz.authorize(res(gina, "delete", "n", "example.com", "widgets", "", "w")).allowed()).isFalse();

        // A role added later with a matching label joins at once.
        var later = source.with(List.of(clusterRole("late", Map.of("tier", "silver"),
                rule(List.of("delete"), List.of("example.com"), List.of("widgets")))));
        assertThat(new RbacAuthorizer(later).authorize(res(gina, "delete", "n", "example.com", "widgets", "", "w"))
                .allowed()).isTrue();
    }

    @Test
    void aggregationCyclesTerminate() {
        ObjectNode selA = Json.object();
        selA.putObject("matchLabels").put("agg", "a");
        ObjectNode selB = Json.object();
        selB.putObject("matchLabels").put("agg", "b");
        ObjectNode a = aggregatedClusterRole("a", selB);
        ((ObjectNode) a.get("metadata")).putObject("labels").put("agg", "a");
        ObjectNode b = aggregatedClusterRole("b", selA);
        ((ObjectNode) b.get("metadata")).putObject("labels").put("agg", "b");
        var authz = new RbacAuthorizer(SnapshotRbacSource.of(a, b, clusterRoleBinding("x", "a", user("x"))));
        assertThat(authz.authorize(res(u("x"), "get", "n", "", "pods", "", "p")).allowed()).isFalse();
    }
}

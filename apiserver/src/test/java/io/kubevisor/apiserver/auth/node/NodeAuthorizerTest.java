package io.kubevisor.apiserver.auth.node;

import static io.kubevisor.apiserver.auth.node.NodeObjects.node;
import static io.kubevisor.apiserver.auth.node.NodeObjects.pod;
import static io.kubevisor.apiserver.auth.node.NodeObjects.podUsing;
import static io.kubevisor.apiserver.auth.node.NodeObjects.user;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRole;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRoleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.group;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Decision;
import io.kubevisor.apiserver.auth.rbac.Decision.Outcome;
import io.kubevisor.apiserver.auth.rbac.RbacAuthorizer;
import io.kubevisor.apiserver.auth.rbac.SnapshotRbacSource;
import io.kubevisor.apiserver.auth.rbac.UnionAuthorizer;

class NodeAuthorizerTest {

    static final UserInfo N1 = node("n1");

    final NodeGraph graph = new NodeGraph((ns, node) -> List.of());
    final NodeAuthorizer authz = new NodeAuthorizer(graph);

    @BeforeEach
    void podsOfTwoNodes() {
        graph.put(podUsing("team", "web", "n1", "web-secret", "web-config"));
        graph.put(podUsing("team", "db", "n2", "db-secret", "db-config"));
        graph.put(pod("team", "claims", "n1", """
                {"serviceAccountName":"web-sa","containers":[{"name":"c","image":"i"}],
                 "volumes":[{"name":"v","persistentVolumeClaim":{"claimName":"web-data"}}]}"""));
    }

    static Attributes res(UserInfo u, String verb, String ns, String group, String resource, String sub, String name) {
        return Attributes.resource(u, verb, ns, group, resource, sub, name);
    }

    Decision ask(String verb, String ns, String group, String resource, String sub, String name) {
        return authz.authorize(res(N1, verb, ns, group, resource, sub, name));
    }

    @Test
    void usersThatAreNotNodesGetNoOpinion() {
        for (UserInfo u : List.of(user("alice"), user("system:node:n1"), user("mallory", "system:nodes"),
                user("admin", "system:masters"))) {
            assertThat(authz.authorize(res(u, "get", "team", "", "secrets", "", "db-secret")))
                    .as(u.name() + " " + u.groups()).isEqualTo(Decision.noOpinion(""));
        }
    }

    @Test
    void aNodeUserWithoutANodeNameIsDeniedEverything() {
        Decision d = authz.authorize(res(node(""), "get", "", "", "nodes", "", "n1"));
        assertThat(d).isEqualTo(Decision.deny("unknown node for user \"system:node:\""));
        assertThat(authz.authorize(Attributes.nonResource(node(""), "get", "/api")).outcome()).isEqualTo(Outcome.DENY);
    }

    @ParameterizedTest(name = "{0} nodes{1} {2}")
    @CsvSource(delimiter = '|', value = {
            "get|''|n2", "list|''|''", "watch|''|''", "create|''|''", "update|''|n1", "patch|''|n2", "delete|''|n1",
            "update|/status|n2", "patch|/status|n1", "get|/status|n2"})
    void nodesAreReadableAndWritableHereAndRestrictedToItsOwnByAdmission(String verb, String sub, String name) {
        assertThat(ask(verb, "", "", "nodes", sub.replace("/", ""), name)).isEqualTo(Decision.allow(""));
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource(delimiter = '|', value = {
            "deletecollection|nodes|''", "get|nodes|proxy", "delete|nodes|status",
            "update|pods|''", "patch|pods|''", "deletecollection|pods|''", "create|pods|binding", "create|pods|exec",
            "get|pods|log", "delete|pods|status"})
    void otherWritesOfNodesAndPodsAreDeniedWhateverRbacSays(String verb, String resource, String sub) {
        assertThat(ask(verb, resource.equals("pods") ? "team" : "", "", resource, sub, "x").outcome())
                .isEqualTo(Outcome.DENY);
    }

    @ParameterizedTest(name = "{0} pods{1}")
    @CsvSource(delimiter = '|', value = {"get|''", "list|''", "watch|''", "create|''", "delete|''", "update|status",
            "patch|status"})
    void podsAreReadableAndTheirStatusAndDeletionAreLeftToAdmission(String verb, String sub) {
        assertThat(ask(verb, "team", "", "pods", sub, verb.equals("list") || verb.equals("watch") ? "" : "db"))
                .isEqualTo(Decision.allow(""));
    }

    @Test
    void aNodeHasOnlyItsOwnLeaseInKubeNodeLease() {
        for (String verb : List.of("get", "update", "patch", "delete")) {
            assertThat(ask(verb, "kube-node-lease", "coordination.k8s.io", "leases", "", "n1")).as(verb)
                    .isEqualTo(Decision.allow(""));
            assertThat(ask(verb, "kube-node-lease", "coordination.k8s.io", "leases", "", "n2")).as(verb)
                    .isEqualTo(Decision.deny("can only access node lease with the same name as the requesting node"));
        }
        assertThat(ask("create", "kube-node-lease", "coordination.k8s.io", "leases", "", ""))
                .as("a create's name is admission's to check").isEqualTo(Decision.allow(""));
        assertThat(ask("get", "kube-system", "coordination.k8s.io", "leases", "", "n1"))
                .isEqualTo(Decision.deny("can only access leases in the \"kube-node-lease\" system namespace"));
        assertThat(ask("list", "kube-node-lease", "coordination.k8s.io", "leases", "", ""))
                .isEqualTo(Decision.deny("can only get, create, update, patch, or delete a node lease"));
    }

    @Test
    void secretsAndConfigMapsAreReadableOnlyWhenAPodOfTheNodeRefersToThem() {
        assertThat(ask("get", "team", "", "secrets", "", "web-secret")).isEqualTo(Decision.allow(""));
        assertThat(ask("get", "team", "", "configmaps", "", "web-config")).isEqualTo(Decision.allow(""));
        Decision other = ask("get", "team", "", "secrets", "", "db-secret");
        assertThat(other).isEqualTo(Decision.deny("no relationship found between node 'n1' and this object"));
        assertThat(ask("get", "team", "", "configmaps", "", "web-secret").outcome()).as("right name, wrong kind")
                .isEqualTo(Outcome.DENY);
        assertThat(ask("list", "team", "", "secrets", "", "")).isEqualTo(Decision.deny("No Object name found"));
        assertThat(ask("update", "team", "", "secrets", "", "web-secret"))
                .isEqualTo(Decision.deny("can only read resources of this type"));
        assertThat(ask("list", "", "", "configmaps", "", ""))
                .isEqualTo(Decision.deny("can only read namespaced object of this type"));
    }

    @Test
    void claimsAndServiceAccountsAreGettableOnlyWhenReferred() {
        assertThat(ask("get", "team", "", "persistentvolumeclaims", "", "web-data")).isEqualTo(Decision.allow(""));
        assertThat(ask("get", "team", "", "serviceaccounts", "", "web-sa")).isEqualTo(Decision.allow(""));
        assertThat(ask("get", "team", "", "serviceaccounts", "", "default").outcome()).isEqualTo(Outcome.DENY);
        assertThat(ask("list", "team", "", "persistentvolumeclaims", "", ""))
                .isEqualTo(Decision.deny("can only get individual resources of this type"));
        assertThat(ask("update", "team", "", "persistentvolumeclaims", "status", "web-data").outcome())
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void everythingElseIsLeftToRbac() {
        assertThat(ask("create", "team", "", "events", "", "")).isEqualTo(Decision.noOpinion(""));
        assertThat(ask("create", "team", "events.k8s.io", "events", "", "")).isEqualTo(Decision.noOpinion(""));
        assertThat(ask("create", "", "authorization.k8s.io", "subjectaccessreviews", "", ""))
                .isEqualTo(Decision.noOpinion(""));
        assertThat(ask("list", "team", "", "services", "", "")).isEqualTo(Decision.noOpinion(""));
        assertThat(authz.authorize(Attributes.nonResource(N1, "get", "/api"))).isEqualTo(Decision.noOpinion(""));
    }

    @Test
    void anRbacGrantToAllNodesCannotWidenWhatTheNodeAuthorizerDecides() {
        SnapshotRbacSource everything = SnapshotRbacSource.of(
                clusterRole("all", rule(List.of("*"), List.of("*"), List.of("*"))),
                clusterRoleBinding("nodes-all", "all", group("system:nodes")));
        UnionAuthorizer chain = new UnionAuthorizer(List.of(authz, new RbacAuthorizer(everything)));
        assertThat(chain.authorize(res(N1, "get", "team", "", "secrets", "", "db-secret")).allowed()).isFalse();
        assertThat(chain.authorize(res(N1, "update", "kube-node-lease", "coordination.k8s.io", "leases", "", "n2"))
                .allowed()).isFalse();
        assertThat(chain.authorize(res(N1, "update", "team", "", "pods", "", "db")).allowed()).isFalse();
        assertThat(chain.authorize(res(N1, "list", "team", "", "services", "", "")).allowed())
                .as("not a node's resource: RBAC's grant applies").isTrue();
        UnionAuthorizer plain = new UnionAuthorizer(List.of(authz, new RbacAuthorizer(SnapshotRbacSource.of())));
        Decision none = plain.authorize(res(N1, "list", "team", "", "services", "", ""));
        assertThat(none).isEqualTo(Decision.noOpinion(""));
        assertThat(plain.authorize(res(user("alice"), "get", "team", "", "secrets", "", "web-secret")).allowed())
                .as("other users are RBAC's alone").isFalse();
    }
}

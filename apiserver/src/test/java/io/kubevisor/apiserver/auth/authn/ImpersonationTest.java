package io.kubevisor.apiserver.auth.authn;

import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRole;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.clusterRoleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.roleBinding;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.rule;
import static io.kubevisor.apiserver.auth.rbac.RbacObjects.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.RbacAuthorizer;
import io.kubevisor.apiserver.auth.rbac.SnapshotRbacSource;

class ImpersonationTest {

    private static final List<String> IMPERSONATE = List.of("impersonate");

    private static final Authorizer RBAC = new RbacAuthorizer(SnapshotRbacSource.of(
            clusterRole("impersonate-users-and-groups", rule(IMPERSONATE, List.of(""), List.of("users", "groups"))),
            clusterRole("impersonate-alice-only", rule(IMPERSONATE, List.of(""), List.of("users"), List.of("alice"))),
            clusterRole("impersonate-extras-uids", rule(IMPERSONATE, List.of("authentication.k8s.io"),
                    List.of("userextras/scopes", "uids"))),
            clusterRole("impersonate-sas", rule(IMPERSONATE, List.of(""), List.of("serviceaccounts"))),
            clusterRoleBinding("ivan-users-groups", "impersonate-users-and-groups", user("ivan")),
            clusterRoleBinding("ivan-extras", "impersonate-extras-uids", user("ivan")),
            clusterRoleBinding("bob-alice", "impersonate-alice-only", user("bob")),
            roleBinding("ci", "sam-sas", "ClusterRole", "impersonate-sas", user("sam"))));

    private static final UserInfo IVAN = UserInfo.of("ivan", List.of()).withAuthenticatedGroup();
    private static final UserInfo BOB = UserInfo.of("bob", List.of()).withAuthenticatedGroup();

    private static Map<String, List<String>> headers(String... namesAndValues) {
        var h = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return h;
    }

    @Test
    void withoutHeadersTheRequesterActsAsItself() {
        Authorizer never = a -> {
            throw new AssertionError("no check expected");
        };
        assertThat(Impersonation.resolve(BOB, headers("Accept", "application/json"), never)).isSameAs(BOB);
        assertThat(Impersonation.requested(headers("Accept", "x"))).isFalse();
        assertThat(Impersonation.requested(headers("impersonate-user", "x"))).isTrue();
    }

    @Test
    void impersonatesUserWithGroupsAndAuthenticated() {
        UserInfo u = Impersonation.resolve(IVAN,
                headers("Impersonate-User", "alice", "Impersonate-Group", "devs", "Impersonate-Group", "ops"), RBAC);
        assertThat(u).isEqualTo(new UserInfo("alice", "", List.of("devs", "ops", UserInfo.AUTHENTICATED), Map.of()));
    }

    @Test
    void asAloneGivesOnlyAuthenticated() {
        // kubectl --as alice sends just Impersonate-User.
        assertThat(Impersonation.resolve(BOB, headers("Impersonate-User", "alice"), RBAC).groups())
                .containsExactly(UserInfo.AUTHENTICATED);
    }

    @Test
    void forbiddenUserHasKubernetesMessage() {
        var e = catchThrowableOfType(ApiException.Forbidden.class,
                () -> Impersonation.resolve(BOB, headers("Impersonate-User", "carol"), RBAC));
        assertThat(e.getMessage()).isEqualTo("users \"carol\" is forbidden: User \"bob\" cannot impersonate resource "
                + "\"users\" in API group \"\" at the cluster scope");
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.details().kind()).isEqualTo("users");
        assertThat(e.details().name()).isEqualTo("carol");
    }

    @Test
    void eachGroupIsChecked() {
        assertThatThrownBy(() -> Impersonation.resolve(BOB,
                headers("Impersonate-User", "alice", "Impersonate-Group", "admins"), RBAC))
                .isInstanceOf(ApiException.Forbidden.class)
                .hasMessage("groups \"admins\" is forbidden: User \"bob\" cannot impersonate resource \"groups\" "
                        + "in API group \"\" at the cluster scope");
    }

    @Test
    void extraAndUidNeedTheirOwnPermission() {
        UserInfo u = Impersonation.resolve(IVAN, headers("Impersonate-User", "alice", "Impersonate-Uid", "u-1",
                "Impersonate-Extra-Scopes", "view", "Impersonate-Extra-Scopes", "edit"), RBAC);
        assertThat(u.uid()).isEqualTo("u-1");
        assertThat(u.extra()).isEqualTo(Map.of("scopes", List.of("view", "edit")));

        assertThatThrownBy(() -> Impersonation.resolve(IVAN,
                headers("Impersonate-User", "alice", "Impersonate-Extra-Reason", "audit"), RBAC))
                .hasMessage("userextras.authentication.k8s.io \"audit\" is forbidden: User \"ivan\" cannot impersonate "
                        + "resource \"userextras/reason\" in API group \"authentication.k8s.io\" at the cluster scope");
        assertThatThrownBy(() -> Impersonation.resolve(BOB,
                headers("Impersonate-User", "alice", "Impersonate-Uid", "u-2"), RBAC))
                .hasMessage("uids.authentication.k8s.io \"u-2\" is forbidden: User \"bob\" cannot impersonate "
                        + "resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope");
    }

    @Test
    void extraKeysArePathUnescapedAndLowerCased() {
        List<Attributes> asked = new ArrayList<>();
        Authorizer recordAll = a -> {
            asked.add(a);
            return io.kubevisor.apiserver.auth.rbac.Decision.allow("");
        };
        UserInfo u = Impersonation.resolve(BOB,
                headers("impersonate-user", "alice", "IMPERSONATE-EXTRA-Example.com%2fScope+X", "v"), recordAll);
        assertThat(u.extra()).containsOnlyKeys("example.com/scope+x");
        assertThat(asked).extracting(Attributes::subresource).contains("example.com/scope+x");
    }

    @Test
    void serviceAccountsAreCheckedInTheirNamespaceAndGetTheirGroups() {
        UserInfo sam = UserInfo.of("sam", List.of()).withAuthenticatedGroup();
        UserInfo sa = Impersonation.resolve(sam, headers("Impersonate-User", "system:serviceaccount:ci:deployer"), RBAC);
        assertThat(sa.name()).isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(sa.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:ci",
                UserInfo.AUTHENTICATED);
        assertThatThrownBy(() -> Impersonation.resolve(sam,
                headers("Impersonate-User", "system:serviceaccount:prod:deployer"), RBAC))
                .hasMessage("serviceaccounts \"deployer\" is forbidden: User \"sam\" cannot impersonate resource "
                        + "\"serviceaccounts\" in API group \"\" in the namespace \"prod\"");
    }

    @Test
    void impersonatingAnonymousGivesUnauthenticated() {
        UserInfo admin = UserInfo.of("root", List.of(UserInfo.MASTERS)).withAuthenticatedGroup();
        UserInfo anon = Impersonation.resolve(admin, headers("Impersonate-User", UserInfo.ANONYMOUS), RBAC);
        assertThat(anon.groups()).containsExactly(UserInfo.UNAUTHENTICATED);
        UserInfo explicit = Impersonation.resolve(admin, headers("Impersonate-User", "x",
                "Impersonate-Group", UserInfo.UNAUTHENTICATED), RBAC);
        assertThat(explicit.groups()).containsExactly(UserInfo.UNAUTHENTICATED);
    }

    @Test
    void groupsWithoutUserAreABadRequest() {
        assertThatThrownBy(() -> Impersonation.resolve(IVAN, headers("Impersonate-Group", "devs"), RBAC))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("without impersonating a user");
        assertThatThrownBy(() -> Impersonation.resolve(IVAN,
                headers("Impersonate-User", "a", "Impersonate-User", "b"), RBAC))
                .isInstanceOf(ApiException.BadRequest.class);
    }
}

package io.kubevisor.apiserver.auth.rbac;

import static io.kubevisor.apiserver.auth.rbac.RbacAuthorizerTest.WORLD;
import static io.kubevisor.apiserver.auth.rbac.RbacAuthorizerTest.u;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import io.kubevisor.apiserver.auth.authn.UserInfo;

class RulesResolverTest {

    private final RulesResolver resolver = new RulesResolver(WORLD);

    @Test
    void listsClusterThenNamespaceRules() {
        SubjectRules rules = resolver.rulesFor(u("alice"), "ns1");
        assertThat(rules.resourceRules()).containsExactly(
                new SubjectRules.ResourceRule(List.of("create", "update"), List.of(""), List.of("configmaps"), List.of()),
                new SubjectRules.ResourceRule(List.of("get", "list", "watch"), List.of(""), List.of("pods"), List.of()));
        assertThat(rules.nonResourceRules()).containsExactly(
                new SubjectRules.NonResourceRule(List.of("get"), List.of("/healthz", "/logs/*")));
        assertThat(rules.incomplete()).isFalse();
        assertThat(rules.evaluationError()).isEmpty();
    }

    @Test
    void namespaceRulesStayInTheirNamespace() {
        assertThat(resolver.rulesFor(u("alice"), "ns2").resourceRules()).isEmpty();
        assertThat(resolver.rulesFor(u("alice"), "").resourceRules()).isEmpty();
        assertThat(resolver.rulesFor(u("bob"), "ns1").resourceRules()).containsExactly(
                new SubjectRules.ResourceRule(List.of("get"), List.of(""), List.of("secrets"), List.of("s1")));
    }

    @Test
    void missingRolesAreReportedNotFatal() {
        SubjectRules rules = resolver.rulesFor(u("dave"), "ns1");
        assertThat(rules.evaluationError()).isEqualTo("[clusterrole.rbac.authorization.k8s.io \"gone\" not found, "
                + "role.rbac.authorization.k8s.io \"missing\" not found]");
        assertThat(rules.nonResourceRules()).hasSize(1);
    }

    @Test
    void statusHasKubernetesShape() {
        var status = resolver.rulesFor(u("bob"), "ns1").toStatus();
        assertThat(Json.string(status)).isEqualTo("{\"resourceRules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],"
                + "\"resources\":[\"secrets\"],\"resourceNames\":[\"s1\"]}],\"nonResourceRules\":[{\"verbs\":[\"get\"],"
                + "\"nonResourceURLs\":[\"/healthz\",\"/logs/*\"]}],\"incomplete\":false}");
        var none = resolver.rulesFor(UserInfo.anonymous(), "ns1").toStatus();
        assertThat(Json.string(none)).isEqualTo("{\"resourceRules\":[],\"nonResourceRules\":[],\"incomplete\":false}");
    }
}

package io.kubevisor.apiserver.auth.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.authn.UserInfo;

class UnionAuthorizerTest {

    final Attributes request = Attributes.resource(UserInfo.of("bob", List.of()), "get", "ns", "", "pods", "", "p");
    final List<String> asked = new ArrayList<>();

    Authorizer answering(String name, Decision d) {
        return a -> {
            asked.add(name);
            return d;
        };
    }

    @Test
    void theFirstAllowOrDenyDecidesAndLaterAuthorizersAreNotAsked() {
        assertThat(new UnionAuthorizer(List.of(answering("a", Decision.noOpinion("")),
                answering("b", Decision.deny("no")), answering("c", Decision.allow("yes")))).authorize(request))
                .isEqualTo(Decision.deny("no"));
        assertThat(asked).containsExactly("a", "b");
        asked.clear();
        assertThat(new UnionAuthorizer(List.of(answering("a", Decision.allow("ok")),
                answering("b", Decision.deny("no")))).authorize(request)).isEqualTo(Decision.allow("ok"));
        assertThat(asked).containsExactly("a");
    }

    @Test
    void withoutAnyOpinionTheReasonsAreJoined() {
        Decision d = new UnionAuthorizer(List.of(answering("a", Decision.noOpinion("first")),
                answering("b", Decision.noOpinion("")), answering("c", Decision.noOpinion("third"))))
                .authorize(request);
        assertThat(d).isEqualTo(Decision.noOpinion("first\nthird"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.denied()).isFalse();
    }
}

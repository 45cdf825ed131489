package io.kubevisor.apiserver.auth.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.pki.ClusterCa;

/** Union, anonymous access and credential extraction. */
class AuthenticatorsTest {

    private static final ClusterCa CA = ClusterCa.create("ca", Duration.ofDays(10), java.time.Clock.systemUTC());
    private static final TokenFileAuthenticator TOKENS = TokenFileAuthenticator.parse("t", "tok,tina,7,readers\n");
    private static final UnionAuthenticator UNION = UnionAuthenticator.of(new X509Authenticator(CA.certificate()), TOKENS);

    @Test
    void unionTriesEachAuthenticatorInOrder() {
        var cert = CA.issueClient("carl", List.of("g"), Duration.ofDays(1));
        assertThat(UNION.authenticate(new Credentials(cert.chain(), null)).orElseThrow().name()).isEqualTo("carl");
        assertThat(UNION.authenticate(new Credentials(List.of(), "tok")).orElseThrow().name()).isEqualTo("tina");
        // A valid certificate wins over a token, as the first authenticator.
        assertThat(UNION.authenticate(new Credentials(cert.chain(), "tok")).orElseThrow().name()).isEqualTo("carl");
        // A certificate from elsewhere does not stop a valid token.
        var foreign = ClusterCa.create("x", Duration.ofDays(10), java.time.Clock.systemUTC())
                .issueClient("evil", List.of(), Duration.ofDays(1));
        assertThat(UNION.authenticate(new Credentials(foreign.chain(), "tok")).orElseThrow().name()).isEqualTo("tina");
        assertThat(UNION.authenticate(new Credentials(foreign.chain(), null))).isEmpty();
    }

    @Test
    void anonymousAccessIsOffByDefault() {
        assertThat(AnonymousAccess.disabled().wrap(UNION).authenticate(Credentials.none())).isEmpty();
    }

    @Test
    void anonymousAccessServesOnlyRequestsWithoutCredentials() {
        Authenticator a = AnonymousAccess.allowed().wrap(UNION);
        assertThat(a.authenticate(Credentials.none())).hasValue(UserInfo.anonymous());
        assertThat(UserInfo.anonymous().groups()).containsExactly(UserInfo.UNAUTHENTICATED);
        assertThat(a.authenticate(new Credentials(List.of(), "wrong"))).isEmpty();
        assertThat(a.authenticate(new Credentials(List.of(), "tok")).orElseThrow().name()).isEqualTo("tina");
    }

    @Test
    void bearerTokenIsReadAsKubernetesReadsIt() {
        assertThat(Credentials.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(Credentials.bearerToken("  bearer   abc  ")).isEqualTo("abc");
        assertThat(Credentials.bearerToken("BEARER abc")).isEqualTo("abc");
        assertThat(Credentials.bearerToken("Bearer")).isNull();
        assertThat(Credentials.bearerToken("Bearer   ")).isNull();
        assertThat(Credentials.bearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).isNull();
        assertThat(Credentials.bearerToken(null)).isNull();
        assertThat(Credentials.of((SSLSession) null, "Bearer t")).isEqualTo(new Credentials(List.of(), "t"));
        assertThat(new Credentials(List.of(), "secret").toString()).doesNotContain("secret");
    }

    @Test
    void authenticatedGroupIsAddedOnce() {
        var u = UserInfo.of("a", List.of("x")).withAuthenticatedGroup().withAuthenticatedGroup();
        assertThat(u.groups()).containsExactly("x", UserInfo.AUTHENTICATED);
        assertThat(UserInfo.anonymous().withAuthenticatedGroup().groups()).containsExactly(UserInfo.UNAUTHENTICATED);
    }
}

package io.kubevisor.apiserver.auth.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;

class X509AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ClusterCa CA = ClusterCa.create("test-ca", Duration.ofDays(3650), CLOCK);

    private static Credentials certs(KeyMaterial m) {
        return new Credentials(m.chain(), null);
    }

    @Test
    void commonNameIsTheUserAndOrganizationsAreGroups() {
        var alice = CA.issueClient("alice", List.of("devs", "ops"), Duration.ofDays(30));
        var user = new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(certs(alice)).orElseThrow();
        assertThat(user.name()).isEqualTo("alice");
        assertThat(user.uid()).isEmpty();
        assertThat(user.groups()).containsExactly("devs", "ops", UserInfo.AUTHENTICATED);
    }

    @Test
    void acceptsAChainThatIncludesTheCa() {
        var bob = CA.issueClient("bob", List.of(), Duration.ofDays(30));
        var withRoot = new Credentials(List.of(bob.certificate(), CA.certificate()), null);
        assertThat(new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(withRoot))
                .hasValueSatisfying(u -> assertThat(u.groups()).containsExactly(UserInfo.AUTHENTICATED));
    }

    @Test
    void rejectsACertificateFromAnotherCa() {
        var other = ClusterCa.create("other-ca", Duration.ofDays(3650), CLOCK);
        var mallory = other.issueClient("mallory", List.of(UserInfo.MASTERS), Duration.ofDays(30));
        assertThat(new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(certs(mallory))).isEmpty();
    }

    @Test
    void rejectsACertificateFromAnImpostorCaWithTheSameName() {
        // Same subject DN as the real CA: only the signature tells them apart.
        var impostor = ClusterCa.create("test-ca", Duration.ofDays(3650), CLOCK);
        var mallory = impostor.issueClient("mallory", List.of(UserInfo.MASTERS), Duration.ofDays(30));
        assertThat(new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(certs(mallory))).isEmpty();
    }

    @Test
    void acceptsEitherCaDuringRotation() {
        var next = ClusterCa.create("next-ca", Duration.ofDays(3650), CLOCK);
        var authn = new X509Authenticator(List.of(CA.certificate(), next.certificate()), CLOCK);
        assertThat(authn.authenticate(certs(next.issueClient("a", List.of(), Duration.ofDays(1))))).isPresent();
        assertThat(authn.authenticate(certs(CA.issueClient("b", List.of(), Duration.ofDays(1))))).isPresent();
    }

    @Test
    void rejectsExpiredAndNotYetValidCertificates() {
        var carol = CA.issueClient("carol", List.of(), Duration.ofDays(30));
        var later = Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertThat(new X509Authenticator(List.of(CA.certificate()), later).authenticate(certs(carol))).isEmpty();
        var earlier = Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC);
        assertThat(new X509Authenticator(List.of(CA.certificate()), earlier).authenticate(certs(carol))).isEmpty();
    }

    @Test
    void rejectsAServingCertificate() {
        var serving = CA.issueServing(List.of("example.com"), List.of(), Duration.ofDays(30));
        assertThat(new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(certs(serving))).isEmpty();
    }

    @Test
    void rejectsTheCaCertificateItself() {
        var onlyCa = new Credentials(List.of(CA.certificate()), null);
        assertThat(new X509Authenticator(List.of(CA.certificate()), CLOCK).authenticate(onlyCa)).isEmpty();
    }

    @Test
    void ignoresRequestsWithoutCertificates() {
        assertThat(new X509Authenticator(CA.certificate()).authenticate(new Credentials(List.of(), "token"))).isEmpty();
    }
}

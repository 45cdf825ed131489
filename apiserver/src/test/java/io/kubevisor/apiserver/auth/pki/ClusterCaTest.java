package io.kubevisor.apiserver.auth.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @Test
    void createsCaFilesWithOwnerOnlyKey() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        X509Certificate c = ca.certificate();
        assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
        assertThat(c.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3600)));
    }

    @Test
    void reloadsTheSameCa() {
        ClusterCa first = ClusterCa.loadOrCreate(dir);
        ClusterCa second = ClusterCa.loadOrCreate(dir);
        assertThat(second.certificate()).isEqualTo(first.certificate());
        // The reloaded key signs certificates the first CA's certificate verifies.
        var client = second.issueClient("u", List.of(), Duration.ofDays(1));
        assertThat(first.signed(client.certificate())).isTrue();
    }

    @Test
    void refusesAHalfPresentCa() throws Exception {
        ClusterCa.loadOrCreate(dir);
        Files.delete(dir.resolve("ca.key"));
        assertThatThrownBy(() -> ClusterCa.loadOrCreate(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("found ca.crt without ca.key");
    }

    @Test
    void refusesAKeyThatDoesNotMatch() throws Exception {
        ClusterCa.loadOrCreate(dir);
        Files.writeString(dir.resolve("ca.key"),
                ClusterCa.create("other", Duration.ofDays(1), Clock.systemUTC()).issueClient("x", List.of(),
                        Duration.ofDays(1)).privateKeyPem());
        assertThatThrownBy(() -> ClusterCa.loadOrCreate(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void servingCertificateCarriesDefaultAndGivenNames() throws Exception {
        ClusterCa ca = ClusterCa.create("ca", Duration.ofDays(100), Clock.systemUTC());
        KeyMaterial m = ca.issueServing(List.of("api.example.com"), List.of(InetAddress.ofLiteral("10.0.0.7")),
                Duration.ofDays(30));
        X509Certificate c = m.certificate();
        SubjectAltNames sans = SubjectAltNames.of(c);
        assertThat(sans.dnsNames()).contains("localhost", "api.example.com", "kubernetes.default.svc");
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase();
        assertThat(sans.dnsNames()).contains(host);
        assertThat(sans.ipAddresses()).contains("127.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.7");
        assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=kubevisor-apiserver");
        verifies(ca, c);
    }

    @Test
    void clientCertificateCarriesUserAndGroups() throws Exception {
        ClusterCa ca = ClusterCa.create("ca", Duration.ofDays(100), Clock.systemUTC());
        X509Certificate c = ca.issueClient("alice", List.of("devs", "system:masters"), Duration.ofDays(30))
                .certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=alice,O=system:masters,O=devs");
        assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(c.getSubjectAlternativeNames()).isNull();
        verifies(ca, c);
        assertThatThrownBy(() -> ca.issueClient(" ", List.of(), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesDoNotOutliveTheCa() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        ClusterCa ca = ClusterCa.create("ca", Duration.ofDays(10), Clock.fixed(now, ZoneOffset.UTC));
        X509Certificate c = ca.issueClient("u", List.of(), Duration.ofDays(365)).certificate();
        assertThat(c.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        assertThat(c.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
    }

    @Test
    void signedTellsOwnCertificatesFromOthers() {
        ClusterCa a = ClusterCa.create("same-name", Duration.ofDays(10), Clock.systemUTC());
        ClusterCa b = ClusterCa.create("same-name", Duration.ofDays(10), Clock.systemUTC());
        var fromB = b.issueClient("u", List.of(), Duration.ofDays(1)).certificate();
        assertThat(a.signed(fromB)).isFalse();
        assertThat(b.signed(fromB)).isTrue();
    }

    private static void verifies(ClusterCa ca, X509Certificate leaf) throws Exception {
        var params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}

package io.kubevisor.apiserver.auth.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificatesTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private ClusterCa caAt(Instant when) {
        return ClusterCa.loadOrCreate(dir, Clock.fixed(when, ZoneOffset.UTC));
    }

    @Test
    void issuesOnceThenReuses() throws Exception {
        KeyMaterial first = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of("a.example"), List.of());
        assertThat(Files.getPosixFilePermissions(dir.resolve("apiserver.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("apiserver.crt")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        KeyMaterial again = ServingCertificates.loadOrIssue(caAt(T0.plus(Duration.ofDays(100))), dir,
                List.of("A.example"), List.of());
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.privateKey()).isEqualTo(first.privateKey());
    }

    @Test
    void reissuesWhenNamesChange() {
        KeyMaterial first = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of("a.example"), List.of());
        KeyMaterial moreIps = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of("a.example"),
                List.of(InetAddress.ofLiteral("192.0.2.10")));
        assertThat(moreIps.certificate()).isNotEqualTo(first.certificate());
        assertThat(SubjectAltNames.of(moreIps.certificate()).ipAddresses()).contains("192.0.2.10");
        KeyMaterial fewerNames = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of(),
                List.of(InetAddress.ofLiteral("192.0.2.10")));
        assertThat(SubjectAltNames.of(fewerNames.certificate()).dnsNames()).doesNotContain("a.example");
    }

    @Test
    void reissuesWithinThirtyDaysOfExpiry() {
        KeyMaterial first = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of(), List.of(),
                Duration.ofDays(90));
        KeyMaterial at59 = ServingCertificates.loadOrIssue(caAt(T0.plus(Duration.ofDays(59))), dir, List.of(),
                List.of(), Duration.ofDays(90));
        assertThat(at59.certificate()).isEqualTo(first.certificate());
        KeyMaterial at61 = ServingCertificates.loadOrIssue(caAt(T0.plus(Duration.ofDays(61))), dir, List.of(),
                List.of(), Duration.ofDays(90));
        assertThat(at61.certificate()).isNotEqualTo(first.certificate());
        assertThat(at61.certificate().getNotAfter().toInstant()).isAfter(T0.plus(Duration.ofDays(150)));
    }

    @Test
    void reissuesWhenTheCaChanged() throws Exception {
        KeyMaterial first = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of(), List.of());
        Files.delete(dir.resolve("ca.crt"));
        Files.delete(dir.resolve("ca.key"));
        ClusterCa newCa = caAt(T0);
        KeyMaterial second = ServingCertificates.loadOrIssue(newCa, dir, List.of(), List.of());
        assertThat(second.certificate()).isNotEqualTo(first.certificate());
        assertThat(newCa.signed(second.certificate())).isTrue();
    }

    @Test
    void reissuesWhenTheFilesAreDamaged() throws Exception {
        ServingCertificates.loadOrIssue(caAt(T0), dir, List.of(), List.of());
        Files.writeString(dir.resolve("apiserver.key"), "garbage");
        KeyMaterial fresh = ServingCertificates.loadOrIssue(caAt(T0), dir, List.of(), List.of());
        assertThat(KeyMaterial.read(dir.resolve("apiserver.crt"), dir.resolve("apiserver.key")).certificate())
                .isEqualTo(fresh.certificate());
    }
}

package io.kubevisor.apiserver.auth.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class KubeconfigTest {

    private static final ClusterCa CA = ClusterCa.create("ca", Duration.ofDays(10), Clock.systemUTC());

    @TempDir
    Path dir;

    private static String decode(JsonNode n) {
        return new String(Base64.getDecoder().decode(n.asString()), StandardCharsets.US_ASCII);
    }

    @Test
    void adminKubeconfigHasCertificateCredentials() throws Exception {
        Path file = dir.resolve("admin.kubeconfig");
        KeyMaterial admin = Kubeconfig.writeAdmin(file, "https://127.0.0.1:6443", CA, "kubevisor", Duration.ofDays(365));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode cfg = new YAMLMapper().readTree(Files.readString(file));
        assertThat(cfg.path("kind").asString()).isEqualTo("Config");
        assertThat(cfg.path("current-context").asString()).isEqualTo("kubevisor-admin@kubevisor");
        JsonNode cluster = cfg.path("clusters").get(0);
        assertThat(cluster.path("name").asString()).isEqualTo("kubevisor");
        assertThat(cluster.path("cluster").path("server").asString()).isEqualTo("https://127.0.0.1:6443");
        assertThat(Pem.decodeCertificates(decode(cluster.path("cluster").path("certificate-authority-data"))))
                .containsExactly(CA.certificate());
        JsonNode user = cfg.path("users").get(0);
        assertThat(user.path("name").asString()).isEqualTo("kubevisor-admin");
        KeyMaterial fromFile = KeyMaterial.fromPem(decode(user.path("user").path("client-certificate-data")),
                decode(user.path("user").path("client-key-data")));
        assertThat(fromFile.certificate()).isEqualTo(admin.certificate());
        assertThat(admin.certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=kubevisor-admin,O=system:masters");
        JsonNode ctx = cfg.path("contexts").get(0);
        assertThat(ctx.path("name").asString()).isEqualTo("kubevisor-admin@kubevisor");
        assertThat(ctx.path("context").path("cluster").asString()).isEqualTo("kubevisor");
        assertThat(ctx.path("context").path("user").asString()).isEqualTo("kubevisor-admin");
    }

    @Test
    void tokenKubeconfig() throws Exception {
        Path file = dir.resolve("t.kubeconfig");
        Kubeconfig.writeWithToken(file, "https://h:1/tenants/foo", CA.certificate(), "s3cr3t", "foo", "alice");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode cfg = new YAMLMapper().readTree(Files.readString(file));
        assertThat(cfg.path("users").get(0).path("user").path("token").asString()).isEqualTo("s3cr3t");
        assertThat(cfg.path("users").get(0).path("user").has("client-key-data")).isFalse();
        assertThat(cfg.path("clusters").get(0).path("cluster").path("server").asString())
                .isEqualTo("https://h:1/tenants/foo");
    }

    @Test
    void rewritingReplacesTheFile() throws Exception {
        Path file = dir.resolve("k");
        Kubeconfig.writeWithToken(file, "https://a:1", CA.certificate(), "one", "c", "u");
        Kubeconfig.writeWithToken(file, "https://a:1", CA.certificate(), "two", "c", "u");
        assertThat(Files.readString(file)).contains("two").doesNotContain("one");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(file);
        }
    }
}

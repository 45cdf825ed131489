package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** imagePullSecret parsing and which registry host a credential is for. */
class ImageCredentialsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    @Test
    void readsDockerConfigJsonWithAuthOrUsernamePassword() {
        String json = """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "127.0.0.1:5000": {"username": "ci", "password": "p:w"},
                  "registry.example.com/some/path": {"auth": "%s", "email": "x@example.com"},
                  "empty.example.com": {}
                }}""".formatted(b64("hub:secret"), b64("u:pa:ss"));
        List<RegistryCredential> creds = DockerConfigJson.parse(utf8(json));
        assertThat(creds).containsExactly(
                new RegistryCredential("docker.io", "hub", "secret"),
                new RegistryCredential("127.0.0.1:5000", "ci", "p:w"),
                new RegistryCredential("registry.example.com", "u", "pa:ss"));
    }

    @Test
    void readsLegacyDockercfg() {
        String json = "{\"quay.io\": {\"auth\": \"" + b64("robot:tok") + "\"}}";
        assertThat(DockerConfigJson.parse(utf8(json)))
                .containsExactly(new RegistryCredential("quay.io", "robot", "tok"));
    }

    @Test
    void rejectsWhatIsNotADockerConfig() {
        assertThatThrownBy(() -> DockerConfigJson.parse(utf8("[1]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerConfigJson.parse(utf8("{\"auths\": {\"h\": {\"auth\": \"%%%\"}}}")))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> DockerConfigJson.parse(utf8("{\"auths\": {\"h\": {\"auth\": \"" + b64("nocolon")
                + "\"}}}"))).hasMessageContaining("user:password");
        assertThatThrownBy(() -> DockerConfigJson.parse(utf8("not json"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesHostsPortsAndWildcards() {
        assertThat(new RegistryCredential("docker.io", "u", "p").matches("registry-1.docker.io")).isTrue();
        assertThat(new RegistryCredential("https://index.docker.io/v1/", "u", "p").matches("docker.io")).isTrue();
        assertThat(new RegistryCredential("127.0.0.1:5000", "u", "p").matches("127.0.0.1:5000")).isTrue();
        assertThat(new RegistryCredential("127.0.0.1:5000", "u", "p").matches("127.0.0.1:5001")).isFalse();
        assertThat(new RegistryCredential("127.0.0.1", "u", "p").matches("127.0.0.1:5000")).isFalse();
        assertThat(new RegistryCredential("*.example.com", "u", "p").matches("reg.example.com")).isTrue();
        assertThat(new RegistryCredential("*.example.com", "u", "p").matches("a.reg.example.com")).isFalse();
        assertThat(new RegistryCredential("example.com", "u", "p").matches("evil-example.com")).isFalse();
        assertThat(new RegistryCredential("h", "u", "secret").toString()).doesNotContain("secret");
    }
}

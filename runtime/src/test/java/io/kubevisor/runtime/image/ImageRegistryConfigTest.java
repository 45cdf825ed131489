package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The registry configuration document and the endpoints and TLS policy it yields. */
class ImageRegistryConfigTest {

    private static RegistryConfig parse(String json) {
        return RegistryConfig.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesMirrorsInsecureHostsAndCredentials() {
        RegistryConfig c = parse("""
                {"hosts": {
                  "docker.io": {"mirrors": ["http://127.0.0.1:5000"], "fallbackToUpstream": false},
                  "Registry.Example:5000": {"insecure": true, "username": "u", "password": "p"}
                }}""");
        assertThat(c.host("docker.io").mirrors()).containsExactly(URI.create("http://127.0.0.1:5000"));
        assertThat(c.host("docker.io").fallbackToUpstream()).isFalse();
        assertThat(c.host("registry.example:5000").insecure()).isTrue();
        assertThat(c.host("registry.example:5000").username()).isEqualTo("u");
        assertThat(c.host("quay.io")).isEqualTo(RegistryConfig.Host.DEFAULT);
        assertThat(parse("{}").hosts()).isEmpty();
    }

    @Test
    void rejectsBadMirrors() {
        assertThatThrownBy(() -> parse("{\"hosts\": {\"docker.io\": {\"mirrors\": [\"ftp://x\"]}}}"))
                .hasMessageContaining("hosts[\"docker.io\"]").hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> parse("{\"hosts\": {\"docker.io\": {\"mirrors\": [\"http://m/some/path\"]}}}"))
                .hasMessageContaining("must not have a path");
        assertThatThrownBy(() -> parse("{\"hosts\": []}")).hasMessageContaining("must be an object");
    }

    @Test
    void mirrorsComeFirstThenTheRegistryItself() {
        RegistryConfig c = new RegistryConfig(Map.of("docker.io", new RegistryConfig.Host(
                List.of(URI.create("http://127.0.0.1:5000"), URI.create("https://mirror.example")), true, false,
                null, null)));
        assertThat(Endpoint.forRegistry("docker.io", c)).extracting(e -> e.base().toString(), Endpoint::mirror)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:5000", true),
                        org.assertj.core.groups.Tuple.tuple("https://mirror.example", true),
                        org.assertj.core.groups.Tuple.tuple("https://registry-1.docker.io", false));
        RegistryConfig only = new RegistryConfig(Map.of("docker.io",
                RegistryConfig.Host.mirroredBy(URI.create("http://127.0.0.1:5000"))));
        assertThat(Endpoint.forRegistry("docker.io", only)).hasSize(1);
    }

    @Test
    void plainHttpOnlyForLoopbackOrInsecureHosts() {
        RegistryConfig none = RegistryConfig.empty();
        assertThat(Endpoint.forRegistry("127.0.0.1:5000", none).getFirst().base())
                .isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(Endpoint.forRegistry("127.1.2.3:5000", none).getFirst().base().getScheme()).isEqualTo("http");
        assertThat(Endpoint.forRegistry("localhost:5000", none).getFirst().base().getScheme()).isEqualTo("http");
        assertThat(Endpoint.forRegistry("[::1]:5000", none).getFirst().base().getScheme()).isEqualTo("http");
        assertThat(Endpoint.forRegistry("registry.example:5000", none).getFirst().base())
                .isEqualTo(URI.create("https://registry.example:5000"));
        // A name is never trusted to be loopback, whatever it resolves to.
        assertThat(Endpoint.forRegistry("localhost.example.com", none).getFirst().base().getScheme()).isEqualTo("https");
        assertThat(Endpoint.forRegistry("127.0.0.1.nip.io", none).getFirst().base().getScheme()).isEqualTo("https");

        RegistryConfig insecure = new RegistryConfig(Map.of("registry.example:5000",
                RegistryConfig.Host.insecureHost()));
        assertThat(Endpoint.forRegistry("registry.example:5000", insecure).getFirst().base())
                .isEqualTo(URI.create("http://registry.example:5000"));

        RegistryConfig httpMirror = new RegistryConfig(Map.of("docker.io",
                RegistryConfig.Host.mirroredBy(URI.create("http://mirror.example:5000"))));
        assertThatThrownBy(() -> Endpoint.forRegistry("docker.io", httpMirror))
                .hasMessage("plain HTTP to \"mirror.example:5000\" refused: it is not a loopback host and the registry"
                        + " config does not mark it insecure");
    }

    @Test
    void loopbackIsDecidedWithoutDns() {
        assertThat(Endpoint.isLoopback("127.0.0.1")).isTrue();
        assertThat(Endpoint.isLoopback("127.255.0.9:80")).isTrue();
        assertThat(Endpoint.isLoopback("::1")).isTrue();
        assertThat(Endpoint.isLoopback("[::1]:5000")).isTrue();
        assertThat(Endpoint.isLoopback("LOCALHOST:1")).isTrue();
        assertThat(Endpoint.isLoopback("128.0.0.1")).isFalse();
        assertThat(Endpoint.isLoopback("10.0.0.1:5000")).isFalse();
        assertThat(Endpoint.isLoopback("[::2]:5000")).isFalse();
        assertThat(Endpoint.isLoopback("localhost.localdomain")).isFalse();
        assertThat(Endpoint.isLoopback("deadbeef")).isFalse();
    }
}

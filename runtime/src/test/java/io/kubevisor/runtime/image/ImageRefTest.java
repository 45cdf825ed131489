package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io/library/busybox:1.36",
            "library/busybox, docker.io/library/busybox:latest",
            "docker.io/busybox, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox:1, docker.io/library/busybox:1",
            "demo/app, docker.io/demo/app:latest",
            "127.0.0.1:5000/demo/bb:1, 127.0.0.1:5000/demo/bb:1",
            "localhost/app, localhost/app:latest",
            "localhost:5000/app:v1.2-rc_3, localhost:5000/app:v1.2-rc_3",
            "registry.example.com/a/b/c, registry.example.com/a/b/c:latest",
            "[::1]:5000/app:1, [::1]:5000/app:1",
            "ghcr.io/org/my-app__x.y:tag, ghcr.io/org/my-app__x.y:tag",
    })
    void normalizesLikeTheKubelet(String image, String name) {
        assertThat(ImageRef.parse(image).name()).isEqualTo(name);
    }

    @Test
    void splitsRegistryRepositoryAndReference() {
        ImageRef r = ImageRef.parse("127.0.0.1:5000/demo/bb:1");
        assertThat(r.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(r.path()).isEqualTo("demo/bb");
        assertThat(r.tag()).isEqualTo("1");
        assertThat(r.reference()).isEqualTo("1");
        assertThat(r.repository()).isEqualTo("127.0.0.1:5000/demo/bb");
        assertThat(r.withDigest("sha256:" + HEX)).isEqualTo("127.0.0.1:5000/demo/bb@sha256:" + HEX);
        assertThat(r.original()).isEqualTo("127.0.0.1:5000/demo/bb:1");
    }

    @Test
    void digestPinsTheReferenceWithoutDefaultTag() {
        ImageRef r = ImageRef.parse("busybox@sha256:" + HEX);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo("sha256:" + HEX);
        assertThat(r.reference()).isEqualTo("sha256:" + HEX);
        assertThat(r.name()).isEqualTo("docker.io/library/busybox@sha256:" + HEX);

        ImageRef both = ImageRef.parse("busybox:1@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("1");
        assertThat(both.reference()).isEqualTo("sha256:" + HEX);
        assertThat(both.name()).isEqualTo("docker.io/library/busybox:1@sha256:" + HEX);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "BUSYBOX|invalid reference format: repository name (library/BUSYBOX) must be lowercase",
            "demo/App:1|invalid reference format: repository name (demo/App) must be lowercase",
            "busybox:|invalid reference format",
            "busy box|invalid reference format",
            "-busybox|invalid reference format",
            "busybox:tag!|invalid reference format",
            "a//b|invalid reference format",
            "busybox@sha256:abc|invalid reference format",
            "busybox@sha256:0123456789abcdef0123456789abcdef|invalid checksum digest length",
            "busybox@md5:0123456789abcdef0123456789abcdef|unsupported digest algorithm",
            "busybox@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef|invalid checksum digest format",
            HEX + "|invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings",
    })
    void rejectsWithTheKubeletsMessage(String image, String why) {
        assertThatThrownBy(() -> ImageRef.parse(image))
                .isInstanceOfSatisfying(ImageException.InvalidImageName.class,
                        e -> assertThat(e.reason()).isEqualTo("InvalidImageName"))
                .hasMessage("Failed to apply default image tag \"" + image + "\": couldn't parse image reference \""
                        + image + "\": " + why);
    }

    @Test
    void rejectsOverlongNames() {
        String image = "example.com/" + "a".repeat(250);
        assertThatThrownBy(() -> ImageRef.parse(image))
                .hasMessageEndingWith("repository name must not be more than 255 characters");
    }

    @Test
    void defaultPullPolicyFollowsTheTag() {
        assertThat(PullPolicy.defaultFor(ImageRef.parse("busybox"))).isEqualTo(PullPolicy.ALWAYS);
        assertThat(PullPolicy.defaultFor(ImageRef.parse("busybox:latest"))).isEqualTo(PullPolicy.ALWAYS);
        assertThat(PullPolicy.defaultFor(ImageRef.parse("busybox:1"))).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(PullPolicy.defaultFor(ImageRef.parse("busybox@sha256:" + HEX))).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(PullPolicy.fromKubernetes("Never", ImageRef.parse("busybox"))).isEqualTo(PullPolicy.NEVER);
        assertThat(PullPolicy.fromKubernetes("", ImageRef.parse("busybox:1"))).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThatThrownBy(() -> PullPolicy.fromKubernetes("Sometimes", ImageRef.parse("busybox")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.kubevisor.runtime.testing.LocalRegistry;
import io.kubevisor.runtime.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a registry that demands basic auth (htpasswd). */
class ImageRegistryAuthIT {

    @TempDir
    static Path work;

    static LocalRegistry registry;
    static String digest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.startWithBasicAuth("puller", "s3cret-pw");
        TestImages images = new TestImages(work);
        images.busybox();
        digest = images.push("busybox", registry, "private/bb:1", false);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private ImageRef ref() {
        return ImageRef.parse(registry.host() + "/private/bb:1");
    }

    @Test
    void pullsWithCredentialsFromAnImagePullSecret() {
        String secret = "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + Base64.getEncoder().encodeToString(
                "puller:s3cret-pw".getBytes(StandardCharsets.UTF_8)) + "\"}}}";
        List<RegistryCredential> creds = DockerConfigJson.parse(secret.getBytes(StandardCharsets.UTF_8));
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            ResolvedImage img = store.pull(ref(), PullPolicy.ALWAYS, creds);
            assertThat(img.imageId()).isEqualTo(registry.host() + "/private/bb@" + digest);
            assertThat(img.rootfs().resolve("bin/busybox")).isExecutable();
        }
    }

    @Test
    void pullsWithCredentialsFromTheRegistryConfig() {
        RegistryConfig config = new RegistryConfig(Map.of(registry.host(),
                RegistryConfig.Host.withCredentials("puller", "s3cret-pw")));
        try (ImageStore store = new ImageStore(new ImageStoreOptions(tmp.resolve("s"), config))) {
            assertThat(store.pull(ref(), PullPolicy.ALWAYS, List.of()).imageId()).endsWith(digest);
        }
    }

    @Test
    void withoutOrWithWrongCredentialsThePullIsUnauthorized() {
        String expected = "failed to pull and unpack image \"" + ref().name() + "\": failed to resolve reference \""
                + ref().name() + "\": pull access denied, repository does not exist or may require authorization:"
                + " server message: unauthorized: authentication required";
        try (ImageStore store = new ImageStore(ImageStoreOptions.at(tmp.resolve("s")))) {
            assertThatThrownBy(() -> store.pull(ref(), PullPolicy.ALWAYS, List.of()))
                    .isInstanceOf(ImageException.ErrImagePull.class).hasMessage(expected);
            assertThatThrownBy(() -> store.pull(ref(), PullPolicy.ALWAYS,
                    List.of(new RegistryCredential(registry.host(), "puller", "wrong"))))
                    .isInstanceOf(ImageException.ErrImagePull.class).hasMessage(expected);
            // Credentials for another host are not offered to this one.
            assertThatThrownBy(() -> store.pull(ref(), PullPolicy.ALWAYS,
                    List.of(new RegistryCredential("127.0.0.2:1", "puller", "s3cret-pw"))))
                    .isInstanceOf(ImageException.ErrImagePull.class).hasMessage(expected);
        }
    }
}
